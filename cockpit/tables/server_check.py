"""Check the tables of the sites on ONE MySQL server: one discovery query for
all of them, then ``CHECK TABLE`` one table per statement over at most
``concurrency`` sessions (the server's limit, shared with everyone else).

What goes wrong is said per table and per site, never raised:

* the server cannot be reached or refuses the login: every site on it gets the
  error (``unreachable`` or not), and keeps its earlier results, marked stale;
* a CHECK times out: that table is unknown; a quick new connection then tells
  a slow server (go on) from a hung one (stop: the rest is not checked);
* the connection dies during a CHECK: that table is ``suspect`` (a CHECK can
  crash a server with corrupt InnoDB pages) and the server is marked down.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from cockpit import clock
from cockpit.inventory.model import MySQL, Site
from cockpit.tables import sql
from cockpit.tables.classify import classify_rows
from cockpit.tables.model import SiteState, TableCheck, TableInfo, TableState, TableStatus
from cockpit.transport.mysql import (
    AuthFailed,
    ConnectionLost,
    MySqlError,
    MySqlServers,
    MySqlSession,
    QueryFailed,
    QueryTimeout,
    ServerUnreachable,
)
from cockpit.untrusted import decode, printable

log = logging.getLogger(__name__)

Notify = Callable[[SiteState], None]


@dataclass
class Job:
    site: SiteState
    table: str
    extended: bool = False


def _int(v: object) -> int | None:
    try:
        return None if v is None else int(v)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def _str(v: object) -> str:
    return decode(bytes(v)) if isinstance(v, bytes | bytearray) else ("" if v is None else str(v))


def parse_discovery(rows: Sequence[Sequence[object]]) -> dict[str, list[TableInfo]]:
    """information_schema rows -> database -> tables (engine NULL for a table that cannot be opened)."""
    out: dict[str, list[TableInfo]] = {}
    for r in rows:
        if len(r) < 7:
            continue
        db, name = _str(r[0]), _str(r[1])
        engine = _str(r[2]) or None
        out.setdefault(db, []).append(TableInfo(name=name, engine=engine, rows=_int(r[3]), data_length=_int(r[4]),
                                                index_length=_int(r[5]), comment=printable(_str(r[6]))))
    return out


def fail_site(site: SiteState, error: str, *, unreachable: bool, notify: Notify) -> None:
    """The site could not be checked: earlier results stay, marked stale."""
    site.error, site.unreachable = error, unreachable
    for name, t in site.tables.items():
        if site.checking and t.checked_at is not None and site.started_at and t.checked_at >= site.started_at:
            continue  # checked in this run before things went wrong
        site.tables[name] = replace(t, stale=t.check is not None, stale_reason=error)
    finish_site(site, notify)


def finish_site(site: SiteState, notify: Notify, *, complete: bool = True) -> None:
    """``complete``: every table was checked (not a one-table re-check): the site's check time moves on."""
    site.checking = False
    if site.error is None and complete:
        site.checked_at = clock.now()
    site.touch()
    notify(site)


def start_site(site: SiteState, extended: bool, notify: Notify) -> None:
    site.checking, site.extended = True, extended
    site.started_at, site.done, site.total = clock.now(), 0, len(site.tables)
    site.touch()
    notify(site)


def _merge_info(old: TableInfo, new: TableInfo) -> TableInfo:
    """A table the server cannot open has NULL engine and rows: keep what was known."""
    if new.engine is not None:
        return new
    return replace(new, engine=old.engine, rows=new.rows if new.rows is not None else old.rows,
                   data_length=new.data_length if new.data_length is not None else old.data_length,
                   index_length=new.index_length if new.index_length is not None else old.index_length)


def apply_discovery(site: SiteState, tables: list[TableInfo]) -> None:
    old = site.tables
    site.tables = {t.name: replace(old[t.name], info=_merge_info(old[t.name].info, t)) if t.name in old
                   else TableState(info=t) for t in tables}


class ServerCheck:
    """One run over one server (a sweep's part, a site re-check or one table)."""

    def __init__(self, servers: MySqlServers, host: str, mysql: MySQL, notify: Notify):
        self.servers, self.host, self.mysql, self.notify = servers, host, mysql, notify
        self.down: str | None = None  # set once the server is found hung or gone
        self.complete = True  # every table of the sites is checked (not a one-table re-check)

    async def run(self, sites: Sequence[tuple[Site, SiteState]], *, extended: bool = False,
                  only_table: str | None = None) -> None:
        states = [st for _, st in sites]
        self.complete = only_table is None
        for st in states:
            start_site(st, extended, self.notify)
        try:
            async with self.servers.session(self.host, self.mysql) as s:
                found = await self._discover(s, [site.database or site.name for site, _ in sites])
            jobs = self._jobs(sites, found, extended, only_table)
            queue: asyncio.Queue[Job] = asyncio.Queue()
            for j in jobs:
                queue.put_nowait(j)
            n = min(self.mysql.concurrency, len(jobs))
            results = await asyncio.gather(*(self._worker(queue) for _ in range(n)), return_exceptions=True)
            errors = [r for r in results if isinstance(r, BaseException)]
            if errors and not self.down and not queue.empty():
                raise errors[0]
        except (ServerUnreachable, AuthFailed) as e:
            for st in states:
                if st.checking:
                    fail_site(st, str(e), unreachable=isinstance(e, ServerUnreachable), notify=self.notify)
            return
        except MySqlError as e:  # discovery failed or timed out
            self.down = self.down or str(e)
        for st in states:
            if st.checking:
                if self.down:
                    fail_site(st, self.down, unreachable=True, notify=self.notify)
                else:
                    st.error, st.unreachable = None, False
                    finish_site(st, self.notify, complete=only_table is None)

    async def _discover(self, s: MySqlSession, databases: list[str]) -> dict[str, list[TableInfo]]:
        query, args = sql.discover(databases)
        return parse_discovery(await s.query(query, args, timeout=max(self.mysql.check_timeout, 10.0)))

    def _jobs(self, sites: Sequence[tuple[Site, SiteState]], found: dict[str, list[TableInfo]], extended: bool,
              only_table: str | None) -> list[Job]:
        jobs: list[Job] = []
        for site, st in sites:
            db = site.database or site.name
            if db not in found:
                fail_site(st, f"database {db} not found on {self.host} (or no tables in it)",
                          unreachable=False, notify=self.notify)
                continue
            apply_discovery(st, found[db])
            names = [t.name for t in found[db] if only_table is None or t.name == only_table]
            if only_table is not None and not names:
                fail_site(st, f"table {only_table} not found in {db}", unreachable=False, notify=self.notify)
                continue
            st.total, st.done = len(names), 0
            st.touch()
            self.notify(st)
            jobs += [Job(st, n, extended) for n in names]
        return jobs

    async def _worker(self, queue: asyncio.Queue[Job]) -> None:
        """Holds one of the server's slots; a new session whenever a timeout closed the last one."""
        async with self.servers.slot(self.host, self.mysql):
            s: MySqlSession | None = None
            try:
                while not self.down and not queue.empty():
                    if s is None or s.closed:
                        s = await self.servers.connect(self.host, self.mysql)
                    try:
                        job = queue.get_nowait()
                    except asyncio.QueueEmpty:
                        return
                    await self._check(s, job)
            finally:
                if s is not None:
                    s.close()

    async def _check(self, s: MySqlSession, job: Job) -> None:
        st = job.site
        stmt = sql.check_table(st.database, job.table, extended=job.extended)
        try:
            rows = await s.query(stmt, timeout=self.mysql.check_timeout)
        except QueryTimeout:
            if not await self._answers():  # hung, or only slow? (down first: the site must not finish as fine)
                self.down = (f"{self.servers.key(self.host, self.mysql)} stopped answering "
                             f"(CHECK of {job.table} timed out; a quick connect failed too)")
            self._record(job, TableCheck(TableStatus.UNKNOWN, checked_at=clock.now(), extended=job.extended,
                                         error=f"CHECK did not finish within {self.mysql.check_timeout:g} s"))
            return
        except ConnectionLost as e:
            self.down = f"the server went away during CHECK TABLE {job.table} ({e})"
            self._record(job, TableCheck(TableStatus.SUSPECT, checked_at=clock.now(), extended=job.extended,
                                         error=f"the connection died during CHECK: {e}"))
            return
        except QueryFailed as e:
            self._record(job, TableCheck(TableStatus.UNKNOWN, checked_at=clock.now(), extended=job.extended,
                                         error=str(e)))
            return
        status, messages = classify_rows(rows)
        self._record(job, TableCheck(status, messages, clock.now(), job.extended))

    async def _answers(self) -> bool:
        return await self.servers.ping(self.host, self.mysql) is None

    def _record(self, job: Job, check: TableCheck) -> None:
        st = job.site
        old = st.tables.get(job.table)
        info = old.info if old else TableInfo(job.table)
        if check.status is TableStatus.UNKNOWN and old is not None and old.check is not None \
                and old.check.status is not TableStatus.UNKNOWN:
            # keep the last real result, said to be stale, rather than forget a known corruption
            st.tables[job.table] = replace(old, stale=True, stale_reason=check.error)
        else:
            st.tables[job.table] = TableState(info, check)
        st.done += 1
        if st.done >= st.total and st.checking and not self.down:
            st.error, st.unreachable = None, False  # this site is done: it need not wait for the others
            finish_site(st, self.notify, complete=self.complete)
            return
        st.touch()
        self.notify(st)
