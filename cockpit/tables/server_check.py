"""Check the tables of the sites on ONE MySQL server: one quick discovery query
for all of them (names and engines), then ``CHECK TABLE`` one table per
statement over at most ``concurrency`` sessions (the server's limit, shared
with everyone else).

Each session is sent one site's statements at a time (up to :data:`BATCH`, as
one multi-statement query, every statement still one table): the server runs them
one after the other without waiting for the cockpit between them, and the
cockpit handles a few results per wake-up instead of one. Each statement keeps
its own time limit (its result must come within ``check_timeout`` of the one
before). A database's rows and sizes are read in the same stream, just before
its CHECKs (both open the same tables: once, not twice).

What goes wrong is said per table and per site, never raised:

* the server cannot be reached or refuses the login: every site on it gets the
  error (``unreachable`` or not), and keeps its earlier results, marked stale;
* a CHECK times out: that table is unknown, and its session is killed (the
  statements queued behind it go to a new session); a quick new connection
  tells a slow server (go on) from a hung one (stop: the rest is not checked);
* the connection dies during a CHECK: that table is ``suspect`` (a CHECK can
  crash a server with corrupt InnoDB pages) and the server is marked down;
  unless it was the SSH connection under the tunnel that died: then the table
  is unknown (its last result kept, stale) and the sites unreachable.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, replace

from cockpit import clock
from cockpit.inventory.model import MySQL, Site
from cockpit.tables import sql
from cockpit.tables.classify import classify_rows
from cockpit.tables.model import SiteState, TableCheck, TableInfo, TableState, TableStatus
from cockpit.tables.site_updates import (
    Notify,
    apply_names,
    apply_stats,
    fail_site,
    finish_site,
    parse_discovery,
    start_site,
)
from cockpit.transport.mysql import (
    AuthFailed,
    ConnectionLost,
    MySqlError,
    MySqlServers,
    MySqlSession,
    QueryFailed,
    QueryTimeout,
    Row,
    ServerUnreachable,
)

log = logging.getLogger(__name__)

# Statements sent to a session at once, all of one site: a slow one holds back only
# its own site's next tables (which that site's result waits for anyway), up to its timeout.
BATCH = 32


@dataclass
class Job:
    """One statement: ``CHECK TABLE site.table``, or (``table`` None) the site's table sizes."""

    site: SiteState
    table: str | None
    extended: bool = False
    only_table: str | None = None  # for a sizes job: that table only

    def statement(self) -> str:
        if self.table is None:
            return sql.table_stats(self.site.database, self.only_table)
        return sql.check_table(self.site.database, self.table, extended=self.extended)


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
            async with self.servers.slot(self.host, self.mysql):  # discovery, then the first worker
                s = await self.servers.connect(self.host, self.mysql, multi_statements=True)
                try:
                    found = await self._discover(s, [site.database or site.name for site, _ in sites])
                    queue = deque(self._jobs(sites, found, extended, only_table))
                    more = max(0, min(self.mysql.concurrency, len(queue)) - 1)
                    results = await asyncio.gather(self._work(queue, s), *(self._worker(queue) for _ in range(more)),
                                                   return_exceptions=True)
                finally:
                    s.close()
            errors = [r for r in results if isinstance(r, BaseException)]
            if errors and not self.down and queue:
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
        return parse_discovery(await s.query(sql.discover_names(databases), timeout=self._stats_timeout))

    @property
    def _stats_timeout(self) -> float:
        return max(self.mysql.check_timeout, 10.0)

    def _jobs(self, sites: Sequence[tuple[Site, SiteState]], found: dict[str, list[TableInfo]], extended: bool,
              only_table: str | None) -> list[Job]:
        jobs: list[Job] = []
        for site, st in sites:
            db = site.database or site.name
            if db not in found:
                fail_site(st, f"database {db} not found on {self.host} (or no tables in it)",
                          unreachable=False, notify=self.notify)
                continue
            apply_names(st, found[db])
            names = [t.name for t in found[db] if only_table is None or t.name == only_table]
            if only_table is not None and not names:
                fail_site(st, f"table {only_table} not found in {db}", unreachable=False, notify=self.notify)
                continue
            st.total, st.done = len(names), 0
            st.touch()
            self.notify(st)
            jobs.append(Job(st, None, only_table=only_table))
            jobs += [Job(st, n, extended) for n in names]
        return jobs

    async def _worker(self, queue: deque[Job]) -> None:
        """Holds one of the server's slots while there is work."""
        async with self.servers.slot(self.host, self.mysql):
            await self._work(queue, None)

    async def _work(self, queue: deque[Job], s: MySqlSession | None) -> None:
        """Take one site's next statements at a time; a new session whenever a failure closed the last one."""
        try:
            while not self.down and queue:
                if s is None or s.closed:
                    s = await self.servers.connect(self.host, self.mysql, multi_statements=True)
                batch = [queue.popleft()]
                while queue and len(batch) < BATCH and queue[0].site is batch[0].site:
                    batch.append(queue.popleft())
                queue.extendleft(reversed(await self._batch(s, batch)))
        finally:
            if s is not None:
                s.close()

    async def _batch(self, s: MySqlSession, batch: list[Job]) -> list[Job]:
        """Run ``batch`` on ``s``; the jobs that did not run (after a failure) are returned."""
        timeouts = [self._stats_timeout if j.table is None else self.mysql.check_timeout for j in batch]
        thread_id, i = s.thread_id, 0
        try:
            async with contextlib.aclosing(s.each([j.statement() for j in batch], timeouts)) as results:
                async for rows in results:
                    self._answered(batch[i], rows)
                    i += 1
        except MySqlError as e:
            await self._failed(batch[i], e, thread_id)
            i += 1
        return batch[i:]

    def _answered(self, job: Job, rows: list[Row]) -> None:
        if job.table is None:
            apply_stats(job.site, parse_discovery(rows).get(job.site.database, []))
            self.notify(job.site)
            return
        status, messages = classify_rows(rows)
        self._record(job, job.table, TableCheck(status, messages, clock.now(), job.extended))

    async def _failed(self, job: Job, e: MySqlError, thread_id: int | None) -> None:
        what = (f"CHECK TABLE {job.table}" if job.table is not None
                else f"reading the table sizes of {job.site.database}")
        if isinstance(e, QueryTimeout):
            # hung, or only slow? (down first: the site must not finish as fine)
            why = await self.servers.ping(self.host, self.mysql, kill=thread_id)
            if why is not None:
                self.down = (f"{self.servers.key(self.host, self.mysql)} stopped answering "
                             f"({what} timed out; a quick connect failed too)")
            error = f"CHECK did not finish within {self.mysql.check_timeout:g} s"
            status = TableStatus.UNKNOWN
        elif isinstance(e, ConnectionLost) and e.link_lost:
            # the SSH connection under the tunnel died: that says nothing about the table (nor the server)
            self.down = f"the SSH connection to {self.host} was lost during {what}"
            error, status = str(e), TableStatus.UNKNOWN
        elif isinstance(e, ConnectionLost):
            self.down = f"the server went away during {what} ({e})"
            error, status = f"the connection died during CHECK: {e}", TableStatus.SUSPECT
        elif isinstance(e, QueryFailed):
            error, status = str(e), TableStatus.UNKNOWN
        else:
            raise e  # ServerUnreachable, AuthFailed: the whole run fails
        if job.table is None:
            log.info("%s: %s", what, e)  # the sizes stay as they were: the CHECKs go on
            return
        self._record(job, job.table, TableCheck(status, checked_at=clock.now(), extended=job.extended, error=error))

    def _record(self, job: Job, table: str, check: TableCheck) -> None:
        st = job.site
        old = st.tables.get(table)
        info = old.info if old else TableInfo(table)
        if check.status is TableStatus.UNKNOWN and old is not None and old.check is not None \
                and old.check.status is not TableStatus.UNKNOWN:
            # keep the last real result, said to be stale, rather than forget a known corruption
            st.tables[table] = replace(old, stale=True, stale_reason=check.error)
        else:
            st.tables[table] = TableState(info, check)
        st.done += 1
        if st.done >= st.total and st.checking and not self.down:
            st.error, st.unreachable = None, False  # this site is done: it need not wait for the others
            finish_site(st, self.notify, complete=self.complete)
            return
        st.touch()
        self.notify(st)
