"""A host that stays down, while the pool waits out its backoff (no lab: a
loopback port nobody listens on, which the kernel refuses)."""

from __future__ import annotations

import socket
import traceback
from pathlib import Path

import pytest

from cockpit.engine.hoststate import Reach
from cockpit.inventory.model import Host
from cockpit.transport.errors import HostDown
from cockpit.transport.ssh import SshPool


async def test_each_call_in_backoff_raises_a_new_error_with_its_own_short_traceback(tmp_path: Path) -> None:
    """Raising the stored error again added each call's frames to its traceback and kept them alive, for as
    long as the host stayed down: memory grew with every sweep of a dead host (bench/soak.py --steps)."""
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))  # bound and never listening: a connection is refused
        host = Host(name="gone", address="127.0.0.1", ssh_port=closed.getsockname()[1], connect_timeout=2.0,
                    known_hosts=str(tmp_path / "known_hosts"))
        pool = SshPool([host])
        try:
            with pytest.raises(HostDown) as first:
                await pool.connection("gone")
            assert first.value.reach is Reach.UNREACHABLE
            pool._slot("gone").backoff.retry_at = float("inf")  # stays in backoff whatever the machine's speed
            stored = pool._slot("gone").down
            assert stored is not None
            stored_depth = len(traceback.extract_tb(stored.__traceback__))
            raised: list[HostDown] = []
            for _ in range(4):
                with pytest.raises(HostDown) as again:
                    await pool.connection("gone")
                raised.append(again.value)
        finally:
            await pool.close()
    assert len({id(e) for e in raised}) == 4 and stored not in raised
    assert {(e.reach, str(e)) for e in raised} == {(stored.reach, str(stored))}  # the same news each time
    depths = {len(traceback.extract_tb(e.__traceback__)) for e in raised}
    assert len(depths) == 1, depths  # each traceback is that call's own, not every earlier call's too
    assert len(traceback.extract_tb(stored.__traceback__)) == stored_depth
