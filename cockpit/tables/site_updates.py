"""How a check run changes a :class:`SiteState`: discovery rows in, a site
started, finished or failed (pure state updates; the caller notifies).

Discovery comes in two steps: the table names and engines for every site of a
server at once (quick: no table is opened), then each database's rows, sizes
and comment, sent along with its CHECKs (which open the same tables).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from cockpit import clock
from cockpit.tables.model import SiteState, TableInfo, TableState
from cockpit.untrusted import decode, printable

Notify = Callable[[SiteState], None]


def _int(v: object) -> int | None:
    try:
        return None if v is None else int(v)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def _str(v: object) -> str:
    if type(v) is bytes:  # what aiomysql hands over (use_unicode=False): the common case first
        return decode(v)
    return decode(bytes(v)) if isinstance(v, bytes | bytearray) else ("" if v is None else str(v))


def _col(r: Sequence[object], i: int) -> object:
    return r[i] if len(r) > i else None


def parse_discovery(rows: Sequence[Sequence[object]]) -> dict[str, list[TableInfo]]:
    """information_schema rows (schema, name, engine[, rows, data, index, comment])
    -> database -> tables (engine NULL for a table that cannot be opened)."""
    out: dict[str, list[TableInfo]] = {}
    for r in rows:
        if len(r) < 3:
            continue
        db, name = _str(r[0]), _str(r[1])
        engine = _str(r[2]) or None
        out.setdefault(db, []).append(TableInfo(
            name=name, engine=engine, rows=_int(_col(r, 3)), data_length=_int(_col(r, 4)),
            index_length=_int(_col(r, 5)), comment=printable(_str(_col(r, 6)))))
    return out


def _merge_info(old: TableInfo, new: TableInfo) -> TableInfo:
    """A table the server cannot open has NULL engine and rows: keep what was known."""
    if new.engine is not None:
        return new
    return replace(new, engine=old.engine, rows=new.rows if new.rows is not None else old.rows,
                   data_length=new.data_length if new.data_length is not None else old.data_length,
                   index_length=new.index_length if new.index_length is not None else old.index_length)


def apply_discovery(site: SiteState, tables: list[TableInfo]) -> None:
    """The site's tables are exactly ``tables`` (full rows), earlier results kept."""
    old = site.tables
    site.tables = {t.name: replace(old[t.name], info=_merge_info(old[t.name].info, t)) if t.name in old
                   else TableState(info=t) for t in tables}


def apply_names(site: SiteState, tables: list[TableInfo]) -> None:
    """The site's tables are exactly ``tables`` (names and engines only): a known
    table keeps its sizes and results until :func:`apply_stats` brings new ones."""
    old = site.tables
    out: dict[str, TableState] = {}
    for t in tables:
        known = old.get(t.name)
        if known is None:
            out[t.name] = TableState(info=t)
        elif t.engine is not None and t.engine != known.info.engine:
            out[t.name] = replace(known, info=replace(known.info, engine=t.engine))
        else:
            out[t.name] = known
    site.tables = out


def apply_stats(site: SiteState, tables: list[TableInfo]) -> None:
    """Rows, sizes and comment of tables the site has (others: left to the next discovery)."""
    for t in tables:
        known = site.tables.get(t.name)
        if known is not None:
            site.tables[t.name] = replace(known, info=_merge_info(known.info, t))
    site.touch()


def start_site(site: SiteState, extended: bool, notify: Notify) -> None:
    site.checking, site.extended = True, extended
    site.started_at, site.done, site.total = clock.now(), 0, len(site.tables)
    site.touch()
    notify(site)


def finish_site(site: SiteState, notify: Notify, *, complete: bool = True) -> None:
    """``complete``: every table was checked (not a one-table re-check): the site's check time moves on."""
    site.checking = False
    if site.error is None and complete:
        site.checked_at = clock.now()
    site.touch()
    notify(site)


def fail_site(site: SiteState, error: str, *, unreachable: bool, notify: Notify) -> None:
    """The site could not be checked: earlier results stay, marked stale."""
    site.error, site.unreachable, site.failed_at = error, unreachable, clock.now()
    for name, t in site.tables.items():
        if site.checking and t.checked_at is not None and site.started_at and t.checked_at >= site.started_at:
            continue  # checked in this run before things went wrong
        site.tables[name] = replace(t, stale=t.check is not None, stale_reason=error)
    finish_site(site, notify)
