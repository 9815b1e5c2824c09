"""The DNS sweep: every site's name on every nameserver and resolver,
concurrently under one global cap, plus each nameserver's SOA serial.

:class:`DnsMonitor` is what the engine, the UI and ``status --json`` use::

    monitor = DnsMonitor(inventory, state_file)
    report = await monitor.sweep()        # also kept as monitor.report
    site = await monitor.sweep_site("acme")  # re-query one site now
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Sequence
from dataclasses import replace
from typing import Any

from cockpit import clock
from cockpit.dns import changes
from cockpit.dns.model import Answer, DnsChange, DnsReport, Server, ServerKind, SiteDns, SoaStatus
from cockpit.dns.propagation import evaluate
from cockpit.dns.targets import SiteTarget, targets
from cockpit.engine.statefile import StateFile
from cockpit.inventory.model import Inventory

NOT_MONITORED = "not monitored: the inventory has no [dns] section (zone, nameservers, resolvers)"


def configured_servers(inventory: Inventory) -> list[Server]:
    d = inventory.dns
    if d is None:
        return []
    return ([Server(n.name, n.address, ServerKind.AUTHORITATIVE, n.port) for n in d.nameservers]
            + [Server(n.name, n.address, ServerKind.RESOLVER, n.port) for n in d.resolvers])


class DnsMonitor:
    def __init__(self, inventory: Inventory, state: StateFile | None = None) -> None:
        self.inventory = inventory
        self.state_file = state
        self.report: DnsReport | None = None
        if inventory.dns is None:  # said plainly, so nobody reads an empty pane as "all fine"
            self.report = DnsReport(zone="", sites=(), soa=(), swept_at=clock.now(), problems=(NOT_MONITORED,))
        self._servers: list[Server] | None = None
        self._lock = asyncio.Lock()

    @property
    def enabled(self) -> bool:
        return self.inventory.dns is not None

    def state(self) -> dict[str, Any]:
        return self.state_file.load() if self.state_file is not None else {}

    async def servers(self) -> tuple[list[Server], list[str]]:
        """The servers to ask, and problems finding them (nameservers discovered from NS when not listed)."""
        if self._servers is None:
            servers = configured_servers(self.inventory)
            problems: list[str] = []
            d = self.inventory.dns
            if d is not None and not d.nameservers:
                from cockpit.dns.discover import discover_nameservers

                found, problem = await discover_nameservers(d.zone, d.timeout)
                servers = found + servers
                if problem:
                    problems.append(problem)
                    return servers, problems  # try again next sweep
            self._servers = servers
        return self._servers, []

    async def sweep(self) -> DnsReport:
        async with self._lock:
            d = self.inventory.dns
            if d is None:
                self.report = DnsReport(zone="", sites=(), soa=(), swept_at=clock.now(), problems=(NOT_MONITORED,))
                return self.report
            from cockpit.dns.soa import mark_lagging  # dnspython: only for an inventory with [dns]

            servers, problems = await self.servers()
            state = self.state()
            limit = asyncio.Semaphore(d.concurrency)
            soa_jobs = self._soa_jobs(servers, limit)
            tgts = targets(self.inventory, state)
            site_jobs = [self._ask_site(t, servers, limit) for t in tgts]
            results = await asyncio.gather(asyncio.gather(*soa_jobs), asyncio.gather(*site_jobs))
            soa: list[SoaStatus] = mark_lagging(results[0])
            if not servers:
                problems.append("no nameservers or resolvers to ask")
            made = changes.read(state)
            sites = tuple(self._evaluate(t, answers, made, soa) for t, answers in zip(tgts, results[1], strict=True))
            self.report = DnsReport(zone=d.zone, sites=sites, soa=tuple(soa), swept_at=clock.now(),
                                    servers=tuple(servers), problems=tuple(problems))
            return self.report

    async def sweep_site(self, site: str) -> SiteDns | None:
        """Re-query one site now, with the SOA serials (its row and the serials in :attr:`report` are replaced)."""
        d = self.inventory.dns
        if d is None:
            return None
        from cockpit.dns.soa import mark_lagging

        state = self.state()
        t = next((t for t in targets(self.inventory, state) if t.site == site), None)
        if t is None:
            return None
        servers, _ = await self.servers()
        limit = asyncio.Semaphore(d.concurrency)
        statuses, answers = await asyncio.gather(asyncio.gather(*self._soa_jobs(servers, limit)),
                                                 self._ask_site(t, servers, limit))
        soa = mark_lagging(statuses)
        result = self._evaluate(t, answers, changes.read(state), soa)
        if self.report is not None:
            self.report = replace(self.report, soa=tuple(soa), sites=tuple(result if s.site == site else s
                                                                           for s in self.report.sites))
        return result

    def _soa_jobs(self, servers: Sequence[Server], limit: asyncio.Semaphore) -> list[Coroutine[Any, Any, SoaStatus]]:
        """One SOA query per authoritative server (which hold the newest zone), under the sweep's cap."""
        from cockpit.dns.soa import soa_serial

        d = self.inventory.dns
        assert d is not None
        return [soa_serial(s, d.zone, timeout=d.timeout, limit=limit)
                for s in servers if s.kind is ServerKind.AUTHORITATIVE]

    async def _ask_site(self, t: SiteTarget, servers: Sequence[Server], limit: asyncio.Semaphore) -> list[Answer]:
        from cockpit.dns.query import ask  # dnspython: only for an inventory with [dns]

        d = self.inventory.dns
        assert d is not None
        jobs = []
        for server in servers:
            for qtype in t.qtypes:
                expected = t.aaaa if qtype == "AAAA" else t.a
                jobs.append(ask(server, t.name, qtype, expected=expected, timeout=d.timeout, limit=limit))
        return list(await asyncio.gather(*jobs))

    @staticmethod
    def _evaluate(t: SiteTarget, answers: Sequence[Answer], made: dict[str, DnsChange],
                  soa: Sequence[SoaStatus]) -> SiteDns:
        return evaluate(site=t.site, name=t.name, host=t.host, expected=t.expected, answers=answers,
                        change=made.get(t.site), problem=t.problem, soa=soa)
