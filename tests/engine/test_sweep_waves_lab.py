"""A big fleet is swept in waves: no more connects and no more disk probes in flight than
the inventory's caps, counted on the real lab (needs root). Nothing here is timed."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from cockpit.engine import engine as engine_module
from cockpit.engine.engine import Engine
from cockpit.engine.hoststate import Reach
from cockpit.inventory import load_inventory
from cockpit.lab import Lab
from cockpit.transport import ssh as ssh_module

pytestmark = [pytest.mark.lab, pytest.mark.usefixtures("healed")]


class InFlight:
    """Counts calls of an async function that are running at once."""

    def __init__(self) -> None:
        self.now = self.peak = self.calls = 0

    def wrap(self, fn: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        async def counted(*args: Any, **kwargs: Any) -> Any:
            self.now += 1
            self.calls += 1
            self.peak = max(self.peak, self.now)
            try:
                return await fn(*args, **kwargs)
            finally:
                self.now -= 1

        return counted


async def test_connects_and_probes_never_exceed_their_caps(lab: Lab, monkeypatch: pytest.MonkeyPatch) -> None:
    inv = load_inventory(lab.inventory_path)
    inv = dataclasses.replace(inv, defaults=dataclasses.replace(inv.defaults, connect_concurrency=2,
                                                                probe_concurrency=3))
    connects, probes = InFlight(), InFlight()
    monkeypatch.setattr(ssh_module.asyncssh, "connect", connects.wrap(ssh_module.asyncssh.connect))
    monkeypatch.setattr(engine_module, "probe_disks", probes.wrap(engine_module.probe_disks))
    engine = Engine(inv, read_only=True)
    try:
        hosts = await engine.sweep_disks()
        assert len(hosts) >= 4 and all(h.reach is Reach.UP for h in hosts.values()), \
            {h.name: h.error for h in hosts.values() if h.reach is not Reach.UP}
        assert connects.calls == len(hosts) and probes.calls == len(hosts)
        assert connects.peak == 2  # reached, never passed
        assert probes.peak == 3
        await engine.sweep_disks()  # connected: probes only, still in waves
        assert connects.calls == len(hosts) and probes.calls == 2 * len(hosts) and probes.peak == 3
    finally:
        await engine.close()
