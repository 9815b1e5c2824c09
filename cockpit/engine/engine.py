"""The engine: the inventory, the transports and the fleet's state.

The UI and the CLI drive it the same way: call a sweep, read the state. Sweeps
are serialized by a lock, so a slow sweep is never overlapped by the next one;
the UI reschedules its poll only when a sweep has finished.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import replace
from datetime import datetime

from cockpit import clock
from cockpit.disk.memo import DiskMemo
from cockpit.disk.model import DiskReport
from cockpit.disk.probe import probe_disks
from cockpit.dns.sweep import DnsMonitor
from cockpit.engine.gate import ActionGate
from cockpit.engine.hoststate import HostState, Reach
from cockpit.engine.placement import site_hosts, state_file
from cockpit.engine.summary import FleetSummary, summarize
from cockpit.inventory.model import Host, Inventory
from cockpit.tables.checker import TableChecker
from cockpit.timeline import Timeline
from cockpit.timeline.area_facts import observe_areas
from cockpit.timeline.disk_facts import observe_hosts
from cockpit.timeline.store import ENGINE_KEEP
from cockpit.transfers.engine import Transfers
from cockpit.transport.errors import HostDown, ProbeError
from cockpit.transport.ssh import SshPool
from cockpit.untrusted import printable

log = logging.getLogger(__name__)


class Engine:
    def __init__(self, inventory: Inventory, *, read_only: bool = False, accept_new: bool = False,
                 read_only_reason: str = "--read-only"):
        self.inventory = inventory
        self.gate = ActionGate(read_only, read_only_reason)
        self.pool = SshPool(inventory.hosts, accept_new=accept_new,
                            connect_concurrency=inventory.defaults.connect_concurrency,
                            max_output_bytes=inventory.defaults.max_output_bytes,
                            sweep_interval=inventory.defaults.refresh)
        self.hosts: dict[str, HostState] = {
            h.name: HostState(name=h.name, address=h.address, role=h.role) for h in inventory.hosts
        }
        self.last_disk_sweep: datetime | None = None
        # sites' tables: CHECK TABLE (cockpit.tables), on the host each site is on now (after a failover: its standby)
        self.tables = TableChecker(inventory, self.pool, placement=lambda: site_hosts(state_file(inventory).load(),
                                                                                     inventory))
        self.timeline = Timeline.for_inventory(inventory, keep=ENGINE_KEEP)  # engine parts report state changes here
        self.dns = DnsMonitor(inventory, state_file(inventory))  # DNS propagation (cockpit.dns)
        self.transfers = Transfers(inventory, self.pool, self.gate, state=state_file(inventory),
                                   timeline=self.timeline)  # /storage imports (cockpit.transfers)
        self._disk_lock = asyncio.Lock()
        self.disk_memo = DiskMemo()  # a host that printed the same as last sweep is not parsed again
        # disk probes in flight at once: a big fleet is swept in waves, and each probe's
        # timeouts start with its turn (1,000 probes at once timed out queueing for CPU)
        self._probe_slots = asyncio.Semaphore(inventory.defaults.probe_concurrency)

    @property
    def read_only(self) -> bool:
        return self.gate.read_only

    def summary(self) -> FleetSummary:
        return summarize(self.hosts.values())

    async def sweep_disks(self) -> dict[str, HostState]:
        """Probe every host's disks concurrently; one slow host delays nobody else."""
        async with self._disk_lock:
            started = time.monotonic()
            results = await asyncio.gather(*(self._probe_host(h) for h in self.inventory.hosts))
            self.pool.sweep_took(time.monotonic() - started)  # keepalives follow how long a sweep takes
            for state in results:
                self.hosts[state.name] = state
            self.last_disk_sweep = clock.now()
            await observe_hosts(self.timeline, results)
            await observe_areas(self.timeline, self)  # tables and DNS, from their status parts
            return dict(self.hosts)

    async def sweep_host(self, name: str) -> HostState:
        self.pool.retry_now(name)
        state = await self._probe_host(self.inventory.host(name))
        self.hosts[name] = state
        await observe_hosts(self.timeline, [state])
        return state

    def retry_now(self) -> None:
        self.pool.retry_now()

    async def close(self) -> None:
        await self.tables.close()
        await self.pool.close()

    async def _probe_host(self, host: Host) -> HostState:
        async with self._probe_slots:
            return await self._probe_host_now(host)

    async def _probe_host_now(self, host: Host) -> HostState:
        prev = self.hosts[host.name]
        # Safety net over the transport's own timeouts: never let one host stall a sweep.
        budget = host.connect_timeout * 2 + host.command_timeout + 2
        try:
            async with asyncio.timeout(budget):
                report: DiskReport = await probe_disks(self.pool, host, self.disk_memo)
        except HostDown as e:
            return replace(prev, reach=e.reach, error=printable(str(e)), checked_at=clock.now(),
                           fingerprint=self.pool.fingerprint(host.name) or prev.fingerprint)
        except ProbeError as e:
            return replace(prev, reach=Reach.ERROR, error=f"disk probe: {printable(str(e))}",
                           checked_at=clock.now(), fingerprint=self.pool.fingerprint(host.name))
        except TimeoutError:
            return replace(prev, reach=Reach.UNREACHABLE,
                           error=f"no answer within {budget:g} s", checked_at=clock.now())
        except Exception as e:  # a bug in a parser must not take the sweep down
            log.exception("disk probe of %s failed", host.name)
            return replace(prev, reach=Reach.ERROR, error=f"internal error: {type(e).__name__}",
                           checked_at=clock.now())
        now = clock.now()
        return replace(prev, reach=Reach.UP, error=None, disk=report, checked_at=now, disk_at=now,
                       fingerprint=self.pool.fingerprint(host.name))
