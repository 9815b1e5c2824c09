"""The table checker: ``engine.tables``. What the UI and the actions call.

* :meth:`TableChecker.sweep` checks every table of every site: servers in
  parallel, each server within its own concurrency limit.
* :meth:`TableChecker.retry_unreachable` checks again, between sweeps (every
  :attr:`TableChecker.retry_interval`), the sites whose server could not be
  reached or whose host SSH cannot reach now, and those of a server that no
  longer answers a connection (one ``SELECT 1`` per server): a MySQL back up,
  a MySQL killed or hung, or a host gone, shows within half a minute, not at
  the next sweep.
* :meth:`TableChecker.check_site` re-checks one site now (``r``), optionally
  ``EXTENDED``; :meth:`TableChecker.check_table` re-checks one table (after a
  restore).
* :meth:`TableChecker.tables` lists a site's tables with their last CHECK result.
* :meth:`TableChecker.execute` runs one SQL statement on a site's server
  through the same tunnel and limit; :func:`cockpit.tables.dump.dump_site`
  runs ``mariadb-dump`` on the host over SSH.

State lives in :attr:`TableChecker.sites` (``SiteState``, mutated in place with
a ``version`` counter). Listeners added with :meth:`add_listener` are called
(synchronously, so they must be cheap: set a flag) after every change.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from cockpit import clock, paths
from cockpit.engine.hoststate import DOWN
from cockpit.inventory.model import Inventory, MySQL, Site
from cockpit.tables.model import SiteState, TableState
from cockpit.tables.server_check import ServerCheck
from cockpit.tables.verdict_cache import VerdictCache
from cockpit.transport.errors import HostDown
from cockpit.transport.mysql import MySqlServers, Row
from cockpit.transport.ssh import SshPool

log = logging.getLogger(__name__)

Listener = Callable[[SiteState], None]
RETRY_UNREACHABLE_S = 30.0  # sites whose server could not be reached are tried again this often between sweeps


class TableChecker:
    def __init__(self, inventory: Inventory, pool: SshPool, *,
                 placement: Callable[[], Mapping[str, str]] | None = None):
        """``placement``: site -> the host it is on now (the engine passes what failovers recorded; read once per
        sweep); the inventory's ``host`` for a site it does not name."""
        self.servers = MySqlServers(pool, run_dir=lambda: paths.run_dir(inventory))
        self._placement = placement or dict
        self.pool = pool
        self._sites: dict[str, Site] = {s.name: s for s in inventory.sites}
        self.sites: dict[str, SiteState] = {
            s.name: SiteState(s.name, s.host, s.database or s.name) for s in inventory.sites}
        self.recheck_interval = inventory.mysql.recheck_interval
        self.verdicts = VerdictCache()  # shared by status --json, the problem list and the timeline
        self.sweeping = False
        self.last_sweep_at: datetime | None = None
        self._listeners: list[Listener] = []
        self._busy: set[str] = set()  # sites with a check in flight
        self._sweep_lock = asyncio.Lock()

    # -- reading ---------------------------------------------------------------------------------
    def site(self, name: str) -> Site:
        return self._sites[name]

    def tables(self, name: str) -> list[TableState]:
        """A site's tables with their last CHECK result (name order)."""
        return [self.sites[name].tables[t] for t in sorted(self.sites[name].tables)]

    def progress(self) -> tuple[int, int]:
        """Tables done and to do in the checks running now (0, 0 when idle)."""
        running = [s for s in self.sites.values() if s.checking]
        return sum(s.done for s in running), sum(s.total for s in running)

    @property
    def retry_interval(self) -> float | None:
        """How often :meth:`retry_unreachable` is worth running; None when sweeps come as often."""
        return RETRY_UNREACHABLE_S if self.recheck_interval > RETRY_UNREACHABLE_S else None

    def unreachable(self) -> list[str]:
        """Sites with no check in flight whose server could not be reached at their last check, or whose server
        is reached over SSH to a host the pool cannot reach now (a box that lost SSH: its sites would show their
        last, sound, check until the next sweep)."""
        return self._unreachable(self._hosts_now())

    def _unreachable(self, hosts: Mapping[str, str]) -> list[str]:
        out = []
        for n, st in self.sites.items():
            if n in self._busy:
                continue
            site = self._sites[n]
            if (st.unreachable and st.error is not None) or (
                    site.mysql.via == "ssh" and self._ssh_down(hosts.get(n, site.host))):
                out.append(n)
        return out

    def _ssh_down(self, host: str) -> bool:
        try:
            return self.pool.reach(host)[0] in DOWN
        except HostDown:  # a host the inventory does not name (a stale placement): the check will say so
            return False

    def add_listener(self, fn: Listener) -> None:
        self._listeners.append(fn)

    def remove_listener(self, fn: Listener) -> None:
        if fn in self._listeners:
            self._listeners.remove(fn)

    # -- checking --------------------------------------------------------------------------------
    async def sweep(self) -> None:
        """Check every table of every site (sites already being checked are left to that check)."""
        async with self._sweep_lock:
            self.sweeping = True
            try:
                groups = self._by_server([n for n in self._sites if n not in self._busy])
                await asyncio.gather(*(self._run(host, m, names) for (host, m), names in groups.items()))
                self.last_sweep_at = clock.now()
            finally:
                self.sweeping = False

    async def retry_unreachable(self) -> list[str]:
        """Check again, now, the sites :meth:`unreachable` names, and the sites of a server that stopped answering
        (the others wait for the sweep); the sites tried. A server still down fails fast (the SSH pool's backoff,
        a refused connection) and the site is unreachable, its earlier results kept, marked stale."""
        hosts = self._hosts_now()  # the placement (a state file) read once for all
        names = self._unreachable(hosts)
        names += await self._gone_quiet(names, hosts)
        groups = self._by_server(names, hosts)
        await asyncio.gather(*(self._run(host, m, group) for (host, m), group in groups.items()))
        return names

    async def _gone_quiet(self, unreachable: list[str], hosts: Mapping[str, str]) -> list[str]:
        """The sites, last found sound, of the servers that do not answer a new connection now (one ping per
        server): a MySQL killed or hung while its host's SSH stays up showed its last check until the sweep."""
        skip = set(unreachable) | self._busy
        sound = self._by_server([n for n, st in self.sites.items()
                                 if n not in skip and st.checked_at is not None], hosts)
        answers = await asyncio.gather(*(self.servers.ping(host, m) for host, m in sound), return_exceptions=True)
        gone: list[str] = []
        for ((host, _), group), why in zip(sound.items(), answers, strict=True):
            if isinstance(why, BaseException):  # a bug: the check that follows says what the server does
                log.error("ping of %s's MySQL failed", host, exc_info=why)
            if why is not None:
                gone += group
        return gone

    async def check_site(self, name: str, *, extended: bool = False) -> SiteState:
        """Re-check one site now. Returns at once if it is being checked already."""
        site = self._sites[name]
        if name not in self._busy:
            await self._run(self._host(site), site.mysql, [name], extended=extended)
        return self.sites[name]

    async def check_table(self, name: str, table: str, *, extended: bool = False) -> TableState | None:
        """Re-check one table of a site (after a restore). None if the table is not there."""
        site = self._sites[name]
        await self._run(self._host(site), site.mysql, [name], extended=extended, only_table=table)
        return self.sites[name].tables.get(table)

    async def execute(self, name: str, sql: str, args: Sequence[Any] | None = None, *,
                      timeout: float | None = None, use_database: bool = True) -> list[Row]:
        """One SQL statement on site ``name``'s server (tunnel, limit and timeouts as for checks).
        Raises :class:`cockpit.transport.mysql.MySqlError` subclasses."""
        site = self._sites[name]
        return await self.servers.execute(self._host(site), site.mysql, sql, args,
                                          database=(site.database or site.name) if use_database else None,
                                          timeout=timeout)

    async def close(self) -> None:
        await self.servers.close()

    # -- internals --------------------------------------------------------------------------------
    def _by_server(self, names: list[str],
                   hosts: Mapping[str, str] | None = None) -> dict[tuple[str, MySQL], list[str]]:
        groups: dict[tuple[str, MySQL], list[str]] = {}
        now = self._hosts_now() if hosts is None else hosts
        for n in names:
            s = self._sites[n]
            groups.setdefault((now.get(n, s.host), s.mysql), []).append(n)
        return groups

    def _hosts_now(self) -> Mapping[str, str]:
        try:
            return self._placement()
        except Exception:  # an unreadable state file must not stop the checks: the inventory's hosts
            log.exception("site placement unreadable")
            return {}

    def _host(self, site: Site) -> str:
        return self._hosts_now().get(site.name, site.host)

    def _follow(self, names: list[str], host: str) -> None:
        """Sites now on another host (a failover) start over there: what was seen on the old one is gone."""
        for n in names:
            st = self.sites[n]
            if st.host != host:
                st.host, st.tables, st.error, st.unreachable, st.checked_at = host, {}, None, False, None
                st.touch()

    async def _run(self, host: str, m: MySQL, names: list[str], *, extended: bool = False,
                   only_table: str | None = None) -> None:
        names = [n for n in names if n not in self._busy]
        if not names:
            return
        self._busy.update(names)
        self._follow(names, host)
        try:
            check = ServerCheck(self.servers, host, m, self._notify)
            await check.run([(self._sites[n], self.sites[n]) for n in names], extended=extended,
                            only_table=only_table)
        except Exception:  # a bug must not take the sweep (or the other servers) down
            log.exception("table check of %s failed", host)
            for n in names:
                st = self.sites[n]
                if st.checking:
                    st.checking, st.error, st.unreachable = False, "internal error while checking", False
                    st.failed_at = clock.now()
                    st.touch()
                    self._notify(st)
        finally:
            self._busy.difference_update(names)

    def _notify(self, site: SiteState) -> None:
        for fn in list(self._listeners):
            try:
                fn(site)
            except Exception:
                log.exception("table checker listener failed")
