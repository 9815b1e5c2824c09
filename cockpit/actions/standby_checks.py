"""Preconditions a failover checks on the standby, for real: it answers over
SSH, and the site's database is there with every table passing CHECK TABLE
(the tables engine's SQL, over its MySQL tunnel and per-server limit)."""

from __future__ import annotations

from cockpit.actions.context import ActionContext
from cockpit.actions.model import Check
from cockpit.inventory.model import Site
from cockpit.tables.classify import classify_rows
from cockpit.tables.model import TableStatus
from cockpit.tables.sql import check_table, discover
from cockpit.transport.errors import HostDown, ProbeError
from cockpit.transport.mysql import MySqlError
from cockpit.untrusted import decode, printable
from cockpit.wording import count

MAX_LISTED = 8


async def answers(ctx: ActionContext, host: str) -> Check:
    what = f"{host} answers over SSH"
    h = ctx.engine.inventory.host(host)
    try:
        res = await ctx.engine.pool.run(host, "true", timeout=h.connect_timeout + h.command_timeout)
    except (HostDown, ProbeError) as e:
        return Check(what, False, printable(str(e), 300))
    return Check(what, res.ok, f"exit status {res.exit_status}")


async def database_sound(ctx: ActionContext, host: str, site: Site) -> Check:
    db = site.database or site.name
    what = f"database {db} is on {host} and every table passes CHECK TABLE"
    servers = ctx.engine.tables.servers
    try:
        async with servers.session(host, site.mysql) as s:
            sql, args = discover([db])
            tables = [decode(r[1]) for r in await s.query(sql, args)]
            if not tables:
                return Check(what, False, f"no database {db} (or no table in it) on {host}: move the database first")
            bad: list[str] = []
            for t in tables:
                status, _ = classify_rows(await s.query(check_table(db, t), timeout=site.mysql.check_timeout))
                if status not in (TableStatus.OK, TableStatus.WARNING):
                    bad.append(f"{t} ({status})")
    except MySqlError as e:
        return Check(what, False, printable(str(e), 300))
    if bad:
        listed = ", ".join(bad[:MAX_LISTED]) + (f" and {len(bad) - MAX_LISTED} more" if len(bad) > MAX_LISTED else "")
        return Check(what, False, f"{len(bad)} of {count(len(tables), 'table')} not OK: {printable(listed, 400)}")
    return Check(what, True, f"{count(len(tables), 'table')} OK")


def storage_state(ctx: ActionContext, site: Site) -> Check:
    """Shown, not required: the import may still run after the failover."""
    status = ctx.engine.transfers.status_of(site.name)
    if site.storage is None:
        return Check("/storage import", True, "the site has no storage directory")
    from cockpit.actions.imports import describe

    return Check("/storage import (shown; not required)", True, describe(status))
