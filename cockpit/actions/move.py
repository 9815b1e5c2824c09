"""move-database: a site's database copied to its standby, keeping the most
recent data.

Every table's origin is decided by a real check and shown in the plan (and
so in the audit): tables that pass CHECK TABLE on the current host are copied
live (``mariadb-dump --single-transaction`` there, streamed over SSH into the
standby's ``mariadb``); corrupt or unreadable ones (or all of them when the
current host is gone) come from the site's backup, with its date. Everything
lands in a scratch schema on the standby first; then ONE ``RENAME TABLE`` sets
the standby's older tables aside (``T__replaced_20261125T1930``, never
dropped) and puts the copies in. Verified by CHECK TABLE on the standby.
A re-run copies again (fresher data) and sets the previous copy aside.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from cockpit import clock
from cockpit.actions import restore_sql as rs
from cockpit.actions import stream
from cockpit.actions.backup_source import Backup, site_backup
from cockpit.actions.base import Action, site_lock
from cockpit.actions.context import ActionContext
from cockpit.actions.model import Check, Plan, StepFailed, StepSpec
from cockpit.actions.remote import run_command
from cockpit.actions.restore import _check, _sql
from cockpit.actions.standby_checks import answers
from cockpit.actions.targets import Target, TargetKind
from cockpit.inventory.model import Site
from cockpit.tables.model import TableStatus
from cockpit.tables.sql import discover, quote_ident
from cockpit.transport.mysql_credentials import CredentialError, credentials_for
from cockpit.untrusted import decode, printable
from cockpit.wording import count


@dataclass(frozen=True)
class Origin:
    table: str
    live: bool  # False: from the backup
    why: str


def _dump_cmd(db: str, tables: list[str], address: str, port: int) -> str:
    argv = ["mariadb-dump", "--defaults-extra-file=/dev/stdin", f"--host={address}", f"--port={port}",
            "--protocol=tcp", "--single-transaction", "--skip-dump-date", "--", db, *tables]
    return shlex.join(argv)


def _addr(site: Site) -> str:
    return site.mysql.address if site.mysql.via == "ssh" else "127.0.0.1"


class MoveDatabase(Action):
    name = "move-database"
    binding = "move_database"
    title = "Move database"
    summary = ("Copy a site's database to its standby: tables that pass CHECK live from the current host, "
               "corrupt or unreadable ones from the backup; the standby's old tables set aside")
    kinds = (TargetKind.SITE,)
    typed = True

    async def plan(self, ctx: ActionContext, target: Target) -> Plan:
        site = target.site
        assert site is not None
        src, standby, db = target.host.name, site.standby, site.database or site.name
        checks = [Check(f"site {site.name} has a standby other than its current host",
                        standby is not None and standby != src, standby or "add standby = \"HOST\"")]
        if standby is None or standby == src:
            return Plan(self.name, target, self.summary, checks=tuple(checks))
        checks.append(await answers(ctx, standby))
        live_ok, tables, statuses = await self._source(ctx, src, site, db)
        checks.append(Check(f"the current host {src} can be read (sound tables are copied live)", True,
                            f"{count(len(tables), 'table')} found" if live_ok else f"no: {statuses.get('')}"))
        backup = site_backup(site)
        b_date: str | None = None
        b_tables: list[str] = []
        if backup is not None:
            try:
                out = decode((await run_command(ctx, backup.host, backup.tables_command(), timeout=60)).stdout)
                b_date, b_tables = backup.parse_tables(out)
            except StepFailed as e:
                statuses["backup"] = str(e)
        if not live_ok:
            tables = b_tables
        origins: list[Origin] = []
        lost: list[str] = []
        for t in tables:
            st = statuses.get(t)
            if live_ok and st in ("ok", "warning"):
                origins.append(Origin(t, True, f"passes CHECK TABLE on {src}"))
            elif t in b_tables:
                why = f"CHECK TABLE on {src}: {st}" if live_ok else f"{src} cannot be read"
                origins.append(Origin(t, False, f"{why}; from the backup dated {printable(b_date or '?', 40)}"))
            else:
                lost.append(t)
        checks.append(Check("every table has a sound copy (live or in the backup)", bool(origins) and not lost,
                            f"no sound copy of: {', '.join(lost)}" if lost else count(len(origins), "table")))
        scratch = rs.scratch_schema(db).replace(rs.SCRATCH_PREFIX, "cockpit_move_", 1)
        at = clock.now()
        steps = [self._sql_step(f"Create {db} (if missing) and the scratch schema {scratch} on {standby}", standby,
                                site, [f"CREATE DATABASE IF NOT EXISTS {quote_ident(db)}", rs.create_scratch(scratch)])]
        # one copy per origin, not per table: one dump is one consistent snapshot of the live tables, one awk
        # pass reads the backup once, and a site's copy costs two process pairs instead of one per table
        for live in (True, False):
            group = [o.table for o in origins if o.live is live]
            if group:
                steps.append(self._copy_step(group, live, site, db, src=src, backup=backup,
                                             standby=standby, scratch=scratch))
        existing = await self._existing(ctx, standby, site, db)
        renames = [f"{quote_ident(db)}.{quote_ident(o.table)} TO "
                   f"{quote_ident(db)}.{quote_ident(rs.aside_name(o.table, at, 'replaced'))}"
                   for o in origins if o.table in existing]
        renames += [f"{quote_ident(scratch)}.{quote_ident(o.table)} TO {quote_ident(db)}.{quote_ident(o.table)}"
                    for o in origins]
        older = len([o for o in origins if o.table in existing])
        steps.append(self._sql_step(f"Put the copies in and set the standby's {count(older, 'older table')} aside "
                                    "(one statement)", standby, site, ["RENAME TABLE " + ", ".join(renames)]))

        async def verify(ctx: ActionContext) -> list[Check]:
            out = []
            for o in origins:
                status = await _check(ctx, standby, site, db, o.table)
                origin = "live" if o.live else "backup"
                out.append(Check(f"{db}.{o.table} on {standby} passes CHECK TABLE ({origin})",
                                 status in (TableStatus.OK, TableStatus.WARNING), str(status)))
            return out

        return Plan(
            self.name, target, self.summary, checks=tuple(checks), steps=tuple(steps),
            locks=(site_lock(standby, site.name),),
            notes=tuple(f"{o.table}: {'LIVE' if o.live else 'BACKUP'} ({o.why})" for o in origins),
            verification=(f"every copied table passes CHECK TABLE on {standby}",),
            rollback=(f"Nothing is dropped: until the RENAME the standby's {db} is untouched (copies wait in "
                      f"{scratch}); after it, its older tables are {db}.T__replaced_{at.strftime('%Y%m%dT%H%M')}.",),
            verify=verify,
        )

    async def _source(self, ctx: ActionContext, src: str, site: Site,
                      db: str) -> tuple[bool, list[str], dict[str, str]]:
        try:
            sql, args = discover([db])
            tables = [decode(r[1]) for r in await _sql(ctx, src, site, sql, args)]
            statuses = {t: str(await _check(ctx, src, site, db, t)) for t in tables}
        except StepFailed as e:
            return False, [], {"": str(e)}
        return True, tables, statuses

    async def _existing(self, ctx: ActionContext, host: str, site: Site, db: str) -> set[str]:
        try:
            sql, args = discover([db])
            return {decode(r[1]) for r in await _sql(ctx, host, site, sql, args)}
        except StepFailed:
            return set()

    @staticmethod
    def _sql_step(title: str, host: str, site: Site, statements: list[str]) -> StepSpec:
        async def run(ctx: ActionContext) -> str:
            for s in statements:
                await _sql(ctx, host, site, s)
            return "OK"

        return StepSpec(title, tuple(s + ";" for s in statements), host, run)

    @staticmethod
    def _copy_step(tables: list[str], live: bool, site: Site, db: str, *, src: str, backup: Backup | None,
                   standby: str, scratch: str) -> StepSpec:
        m = site.mysql
        names = ", ".join(tables)
        if live:
            from_host, from_cmd = src, _dump_cmd(db, tables, _addr(site), m.port)
            shown = f"[{src}] {from_cmd} | [{standby}] mariadb {scratch}"
            title = (f"Copy {count(len(tables), 'table')} LIVE from {src} in one mariadb-dump --single-transaction "
                     f"(one snapshot, streamed over SSH): {names}")
        else:
            assert backup is not None
            from_host, from_cmd = backup.host, backup.section_command(*tables)
            shown = f"{backup.shown(scratch, *tables)} (on {standby})"
            title = f"Copy {count(len(tables), 'table')} from the BACKUP ({backup.where}): {names}"

        async def run(ctx: ActionContext) -> str:
            try:
                creds = credentials_for(m).option_file_text()
            except CredentialError as e:
                raise StepFailed(str(e)) from None
            reader = stream.mariadb_reader(scratch, creds_len=len(creds), address=_addr(site), port=m.port)
            res = await stream.pipe(ctx.engine.pool, stream.End(from_host, from_cmd, creds if live else b""),
                                    stream.End(standby, reader, creds), timeout=max(3600.0, m.check_timeout))
            if res.source_status != 0 or res.dest_status != 0:
                raise StepFailed(f"copy of {names} failed (source exit {res.source_status}, "
                                 f"standby exit {res.dest_status})", res.errors)
            counts = " UNION ALL ".join(f"SELECT {i}, COUNT(*) FROM {quote_ident(scratch)}.{quote_ident(t)}"
                                        for i, t in enumerate(tables))
            rows = {int(i): n for i, n in await _sql(ctx, standby, site, counts)}
            return f"{res.bytes:,} bytes into {scratch}; rows: " + ", ".join(
                f"{t} {rows.get(i, '?')}" for i, t in enumerate(tables))

        return StepSpec(title, (shown,), standby, run)
