"""A frozen SSH connection that a fault ends is freed by the next freeze, against the lab's real sshd (needs root).

This test freezes for real, as the cockpit command does, and thaws in its ``finally``: a test process
must not keep its objects frozen (screens/gc_freeze.py).
"""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import weakref

import pytest

from cockpit.inventory import load_inventory
from cockpit.lab import Lab
from cockpit.transport.ssh import SshPool
from screens import gc_freeze

pytestmark = [pytest.mark.lab, pytest.mark.usefixtures("healed")]


async def test_a_connection_killed_after_the_freeze_is_freed_by_the_next_one(
        lab: Lab, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(gc_freeze, "_policy", gc_freeze._Policy())
    monkeypatch.setattr(gc_freeze, "REFREEZE_MIN", 0.0)  # the next freeze as soon as its cost allows
    monkeypatch.setattr(gc_freeze, "REFREEZE_SHARE", 1.0)  # which is when the last one's time has passed again
    hosts = [dataclasses.replace(h, connect_timeout=2.0) for h in load_inventory(lab.inventory_path).hosts]
    pool = SshPool(hosts)
    try:
        await pool.run("web1", "true", reuse=True)  # a connection and its probe shell, as a sweep leaves them
        first = weakref.ref(await pool.connection("web1"))
        gc_freeze.enable()
        assert gc_freeze.after_sweep(pool.connections_ended)  # the first sweep: everything alive is frozen
        assert pool.connections_ended == 0
        lab.fault("web1", "kill-ssh")  # sshd and the connection's own sshd process die
        for _ in range(100):  # the client sees its connection close
            if pool.connections_ended == 1:
                break
            await asyncio.sleep(0.1)
        assert pool.connections_ended == 1
        lab.heal("web1")
        pool.retry_now("web1")
        assert (await pool.run("web1", "hostname", reuse=True)).stdout.strip() == b"web1"  # a new connection
        assert first() is not None and first() is not await pool.connection("web1")
        gc.collect()
        assert first() is not None  # frozen: no collection sees the ended connection's cycles
        assert gc_freeze.after_sweep(pool.connections_ended)
        assert first() is None  # thawed, collected, and the rest frozen again
        assert not gc_freeze.after_sweep(pool.connections_ended)  # nothing has ended since
    finally:
        gc.unfreeze()
        await pool.close()
