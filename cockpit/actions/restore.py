"""restore-table and restore-corrupt-tables: a corrupt table replaced by its
copy from the site's backup, the corrupt one set aside, never dropped.

restore-table SITE.TABLE: load just that table from the site's backup (a
``mariadb-dump`` file or a mydumper directory, on the site's server or on
another host: :mod:`cockpit.actions.backup_source`) into a scratch schema on
the server the site runs on now, streamed over the cockpit's SSH connections,
then ONE ``RENAME TABLE`` puts the corrupt table aside
(``worker__corrupt_20261125T1930``) and the restored one in, then CHECK TABLE. Verified: CHECK OK, the row count
equals the backup's, the corrupt copy is still there. A sound table is never
replaced; a table already restored (sound, with a copy set aside) is left alone,
so a re-run after a crash finishes or does nothing.

restore-corrupt-tables SITE: CHECK every table now, then restore-table each
corrupt one (its own plan, audit and outcome); sound tables are untouched.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Awaitable, Callable
from typing import Any

from cockpit import clock
from cockpit.actions import restore_sql as rs
from cockpit.actions import stream
from cockpit.actions.backup_source import Backup, parse_probe, site_backup
from cockpit.actions.base import Action, site_lock
from cockpit.actions.context import ActionContext
from cockpit.actions.model import Check, Plan, StepFailed, StepSpec
from cockpit.actions.remote import run_command
from cockpit.actions.targets import Target, TargetKind
from cockpit.inventory.model import Site
from cockpit.tables.classify import classify_rows
from cockpit.tables.model import TableStatus
from cockpit.tables.sql import check_table
from cockpit.transport.mysql import MySqlError
from cockpit.transport.mysql_credentials import CredentialError, credentials_for
from cockpit.untrusted import decode, printable
from cockpit.wording import count


async def _sql(ctx: ActionContext, host: str, site: Site, sql: str, args: list[str] | None = None, *,
               timeout: float | None = None) -> list[Any]:
    try:
        return list(await ctx.engine.tables.servers.execute(host, site.mysql, sql, args, timeout=timeout))
    except MySqlError as e:
        raise StepFailed(printable(str(e), 300)) from None


_ASIDE_RE = re.compile(r"__(corrupt|replaced)_\d{8}T\d{4}$")  # rs.aside_name's suffix


def _set_aside(table: str) -> bool:
    return _ASIDE_RE.search(table) is not None


async def _check(ctx: ActionContext, host: str, site: Site, db: str, table: str) -> TableStatus:
    rows = await _sql(ctx, host, site, check_table(db, table), timeout=site.mysql.check_timeout)
    status, _ = classify_rows(rows)
    return status


class RestoreTable(Action):
    name = "restore-table"
    binding = "restore_table"
    title = "Restore table"
    summary = ("Restore one table from the site's backup: loaded into a scratch schema, the corrupt table RENAMEd "
               "aside (never dropped) and the restored one in, in one statement, then CHECKed")
    kinds = (TargetKind.TABLE,)
    typed = True

    async def plan(self, ctx: ActionContext, target: Target) -> Plan:
        site, table, host = target.site, target.table, target.host.name
        assert site is not None and table is not None
        db = site.database or site.name
        checks: list[Check] = []
        backup = site_backup(site)
        checks.append(Check(f"site {site.name} has a backup", backup is not None,
                            backup.where if backup else "add backup = \"/path/DB.sql\" (and backup_host)"))
        if backup is None:
            return Plan(self.name, target, self.summary, checks=tuple(checks))
        try:
            probe = decode((await run_command(ctx, backup.host, backup.probe_command(table), timeout=60)).stdout)
        except StepFailed as e:
            checks.append(Check(f"the backup's host {backup.host} answers over SSH", False, str(e)))
            return Plan(self.name, target, self.summary, checks=tuple(checks))
        dated, readable, has = parse_probe(probe)
        checks.append(Check(f"the backup holds table {table}", has,
                            f"{backup.where} dated {printable(dated, 40)}" if readable
                            else f"{backup.path} cannot be read on {backup.host}"))
        try:
            present = (await _sql(ctx, host, site, *rs.exists(db, table)))[0][0]
            status = await _check(ctx, host, site, db, table) if present else None
            aside = [decode(r[0]) for r in await _sql(ctx, host, site, *rs.asides(db, table))]
        except StepFailed as e:
            checks.append(Check(f"the site's server on {host} answers", False, str(e)))
            return Plan(self.name, target, self.summary, checks=tuple(checks))
        sound = status in (TableStatus.OK, TableStatus.WARNING)
        done_before = sound and bool(aside)
        if done_before:
            return Plan(self.name, target, self.summary, checks=tuple(checks), locks=(site_lock(host, site.name),),
                        notes=(f"{table} passes CHECK TABLE and {', '.join(aside)} was set aside by an earlier "
                               "restore: already restored, nothing to do",),
                        verify=self._verifier(host, site, db, table, counted={}, aside=aside[-1]))
        checks.append(Check(f"{db}.{table} fails CHECK TABLE (only a damaged table is replaced)", not sound,
                            "missing" if status is None else str(status)))
        scratch = rs.scratch_schema(db)
        aside_name = rs.aside_name(table, clock.now())
        counted: dict[str, int] = {}
        steps = (
            self._sql_step(f"Create the scratch schema {scratch}", host, site, rs.create_scratch(scratch)),
            self._load_step(host, site, backup=backup, table=table, scratch=scratch, counted=counted),
            self._sql_step(f"Set the corrupt table aside as {aside_name} and put the restored one in (one statement)",
                           host, site, rs.swap(db, table, aside_name, scratch)),
            self._check_step(host, site, db, table),
        )
        return Plan(
            self.name, target, self.summary, checks=tuple(checks), steps=steps, locks=(site_lock(host, site.name),),
            verification=(f"CHECK TABLE {db}.{table} is OK", f"{db}.{table} has as many rows as the backup's copy",
                          f"the corrupt copy {db}.{aside_name} is still there"),
            rollback=(f"Nothing is dropped. Before the RENAME, {db}.{table} is untouched (the scratch schema "
                      f"{scratch} holds the backup's copy). After it, the corrupt table is {db}.{aside_name}: "
                      f"RENAME it back by hand if needed.",),
            notes=(f"Rows written since the backup ({printable(dated, 40)}) are not in the restored table; "
                   f"the corrupt copy keeps whatever is readable of them.",),
            verify=self._verifier(host, site, db, table, counted=counted, aside=aside_name),
        )

    @staticmethod
    def _sql_step(title: str, host: str, site: Site, sql: str) -> StepSpec:
        async def run(ctx: ActionContext) -> str:
            await _sql(ctx, host, site, sql)
            return "OK"

        return StepSpec(title, (sql + ";",), host, run)

    @staticmethod
    def _load_step(host: str, site: Site, *, backup: Backup, table: str, scratch: str,
                   counted: dict[str, int]) -> StepSpec:
        m = site.mysql
        address = m.address if m.via == "ssh" else "127.0.0.1"
        via = "" if backup.host == host else f", streamed from {backup.host} over SSH"

        async def run(ctx: ActionContext) -> str:
            try:
                creds = credentials_for(m).option_file_text()
            except CredentialError as e:
                raise StepFailed(str(e)) from None
            reader = stream.mariadb_reader(scratch, creds_len=len(creds), address=address, port=m.port)
            res = await stream.pipe(ctx.engine.pool, stream.End(backup.host, backup.section_command(table)),
                                    stream.End(host, reader, creds), timeout=max(600.0, m.check_timeout))
            if res.source_status != 0 or res.dest_status != 0:
                raise StepFailed(f"loading from the backup failed (exit status {res.source_status} on "
                                 f"{backup.host}, {res.dest_status} on {host})", res.errors)
            n = (await _sql(ctx, host, site, rs.count(scratch, table)))[0][0]
            counted["backup_rows"] = int(n)
            return f"{n} rows loaded from the backup into {scratch}.{table}"

        return StepSpec(f"Load {table} from the backup into the scratch schema {scratch}{via}",
                        (backup.shown(scratch, table) + f" (on {host})",), host, run)

    @staticmethod
    def _check_step(host: str, site: Site, db: str, table: str) -> StepSpec:
        async def run(ctx: ActionContext) -> str:
            return f"CHECK TABLE: {await _check(ctx, host, site, db, table)}"

        return StepSpec(f"CHECK TABLE {db}.{table}", (check_table(db, table) + ";",), host, run)

    @staticmethod
    def _verifier(host: str, site: Site, db: str, table: str, *, counted: dict[str, int],
                  aside: str) -> Callable[[ActionContext], Awaitable[list[Check]]]:
        async def verify(ctx: ActionContext) -> list[Check]:
            status = await _check(ctx, host, site, db, table)
            rows = int((await _sql(ctx, host, site, rs.count(db, table)))[0][0])
            kept = (await _sql(ctx, host, site, *rs.exists(db, aside)))[0][0]
            out = [Check(f"CHECK TABLE {db}.{table} is OK", status in (TableStatus.OK, TableStatus.WARNING),
                         str(status))]
            if "backup_rows" in counted:
                out.append(Check("row count equals the backup's", rows == counted["backup_rows"],
                                 f"{count(rows, 'row')}; the backup has {counted['backup_rows']}"))
            out.append(Check(f"the corrupt copy {aside} is still there", bool(kept), "present" if kept else "gone"))
            if site.host == host:
                with contextlib.suppress(Exception):  # best effort: the next sweep shows it anyway
                    await ctx.engine.tables.check_table(site.name, table)  # the tables pane shows it at once
            return out

        return verify


class RestoreCorruptTables(Action):
    name = "restore-corrupt-tables"
    binding = "restore_corrupt_tables"
    title = "Restore corrupt tables"
    summary = "CHECK every table of a site now, then restore each corrupt one from the backup (sound ones untouched)"
    kinds = (TargetKind.SITE,)
    typed = True

    async def plan(self, ctx: ActionContext, target: Target) -> Plan:
        site = target.site
        assert site is not None
        state = await ctx.engine.tables.check_site(site.name)
        checks = [Check(f"every table of {site.name} was checked now", state.error is None,
                        state.error or count(len(state.tables), "table"))]
        # a copy an earlier restore or move set aside is the corrupt evidence itself: never "restored"
        bad = sorted(t for t, ts in state.tables.items()
                     if ts.status is TableStatus.CORRUPT and not _set_aside(t))
        checks.append(Check("some table is corrupt", bool(bad),
                            ", ".join(bad) or "every table is sound: nothing to do"))
        steps = []
        for t in bad:
            async def run(ctx: ActionContext, t: str = t) -> str:
                child = await ctx.service.run_child(ctx, "restore-table", f"{site.name}.{t}")
                if not child.ok:
                    raise StepFailed(f"{t}: {child.outcome}")
                return f"{t}: {child.message}"

            steps.append(StepSpec(f"restore-table {site.name}.{t}", (f"restore-table {site.name}.{t}",),
                                  target.host.name, run))

        async def verify(ctx: ActionContext) -> list[Check]:
            assert ctx.run is not None
            return [Check(f"restore-table {c.target}", c.ok, c.message) for c in ctx.run.children]

        return Plan(self.name, target, self.summary, checks=tuple(checks), steps=tuple(steps),
                    verification=("every corrupt table restored and verified",),
                    rollback=("Each table is restored on its own; a failed one is left as it was (or set aside, "
                              "see its own run). Run this again: restored tables are not touched twice.",),
                    notes=tuple(f"{t} is sound: untouched" for t, ts in sorted(state.tables.items())
                                if ts.status in (TableStatus.OK, TableStatus.WARNING))
                    + tuple(f"{t} was set aside by an earlier restore or move: kept as it is"
                            for t in sorted(state.tables) if _set_aside(t)),
                    verify=verify)
