"""Oversized host output on the paths that do not go through one capped
``SshPool.run`` reply of the host's choosing (tests/transport/test_ssh_lab.py
covers a 300 MB reply): an import's state directory whose every file is 1 GB
(rsync's log and stderr, meta.json, pid stamps; sparse files, so the lab
machine's disk is not used), and a 1 GB reply. The poll reads bounded pieces
(a 1 GB pid file used to be read byte by byte by the shell: the host's whole
listing timed out), and this process's peak RSS barely moves."""

from __future__ import annotations

import resource
import shlex

import pytest

from cockpit.disk.probe import probe_disks
from cockpit.engine.engine import Engine
from cockpit.inventory import load_inventory
from cockpit.lab import Lab
from cockpit.transfers.model import TransferState
from cockpit.transport.errors import ProbeError

pytestmark = [pytest.mark.lab]
DEST = "standby1"
SITE = "hostile-huge"


def rss_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


async def test_an_import_state_directory_of_1_gb_files_is_read_in_bounded_pieces(lab: Lab) -> None:
    inv = load_inventory(lab.inventory_path)
    e = Engine(inv)
    d = shlex.quote(f"{inv.storage.state_dir}/{SITE}")
    try:
        r = await e.pool.run(DEST, f"mkdir -p {d} && cd {d} && for f in log err meta.json exit job.pid pid; "
                                   "do truncate -s 1G $f || exit 1; done && echo made", timeout=60)
        assert r.stdout == b"made\n", r.stderr
        before = rss_kib()
        statuses = await e.transfers.poll()
        grown = rss_kib() - before
        s = statuses.get(f"{SITE}@{DEST}")
        assert s is not None, e.transfers.host_errors
        assert DEST not in e.transfers.host_errors
        assert s.state is not None and s.state is not TransferState.RUNNING  # nothing alive, no exit stamp parsed
        assert grown < 50 * 1024, f"peak RSS grew by {grown} KiB reading 1 GB files"
    finally:
        await e.pool.run(DEST, f"rm -rf {d}", timeout=60)
        await e.close()


async def test_a_disk_probe_reply_of_1_gb_is_cut_off_with_a_clear_error(lab: Lab) -> None:
    """A host replying 1 GB to the engine's pool (the issue's figure; the transport test uses
    300 MB on a bare pool) fails that command with "larger than", memory does not follow the
    reply, and the real disk probe works next on the same connection."""
    inv = load_inventory(lab.inventory_path)
    e = Engine(inv)
    try:
        host = inv.host("web1")
        before = rss_kib()
        with pytest.raises(ProbeError, match="larger than"):
            await e.pool.run("web1", "head -c 1000000000 /dev/zero", timeout=120)
        grown = rss_kib() - before
        report = await probe_disks(e.pool, host)  # the next probe on the same connection works
        assert report.mounts
        assert grown < 100 * 1024, f"peak RSS grew by {grown} KiB for a 1 GB reply"
    finally:
        await e.close()
