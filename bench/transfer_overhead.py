"""Benchmark: cockpit's overhead on a /storage import.

The wall time of a 2,000-file, ~200 MB import started by cockpit (detached
job, state directory, polled until cockpit KNOWS rsync has finished) against
the same rsync with the same arguments run by hand on the same host, in the
same run. Rounds alternate (baseline, cockpit, ...) after a warm-up copy, and
the medians are compared. Also prints the verification time (cockpit's extra
checksum pass, not part of the ratio) and peak RSS of this process.

Target (issue #5): within 1.1x the hand-run rsync.

    .venv/bin/python bench/transfer_overhead.py [--rounds 3] [--poll 0.2]

Needs root: it builds its own lab of two hosts (removed at the end).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import resource
import shlex
import statistics
import tempfile
import time
from pathlib import Path

from benchenv import save

from cockpit.engine.engine import Engine
from cockpit.inventory import load_inventory
from cockpit.inventory.model import Site
from cockpit.lab import FleetSpec, HostSpec, Lab
from cockpit.lab.services.sshd import Sshd
from cockpit.lab.services.storage import RsyncHost, StorageBackup
from cockpit.lab.spec import DataMount
from cockpit.transfers.model import TransferState
from cockpit.transfers.plan import plan_import

SITE = "bench"


def fleet() -> FleetSpec:
    backup = StorageBackup(sites=(SITE,), small_files=2000, large_files=3, large_mb=94)  # ~200 MB in all
    return FleetSpec((
        HostSpec("backup1", role="backup", mounts=(DataMount("/backup", 640),), raid=False,
                 services=(Sshd(), backup)),
        HostSpec("dest1", role="standby", mounts=(DataMount("/storage", 640),), raid=False,
                 services=(Sshd(), RsyncHost())),
    ))


def clean(lab: Lab) -> None:
    lab.exec("dest1", ["sh", "-c", "rm -rf /storage/bench /storage/hand /storage/.cockpit-import-tmp "
                                   "/var/lib/cockpit/imports/bench"], timeout=120)


def by_hand(lab: Lab, args: tuple[str, ...], source: str) -> float:
    """The same rsync, run in the foreground on the destination (its output discarded)."""
    cmd = f"mkdir -p /storage/.cockpit-import-tmp/bench && rsync {' '.join(shlex.quote(a) for a in args)} " \
          f"{shlex.quote(source)} /storage/bench/ > /dev/null"
    start = time.perf_counter()
    p = lab.exec("dest1", ["sh", "-c", cmd], timeout=600)
    took = time.perf_counter() - start
    if p.returncode != 0:
        raise SystemExit(f"rsync by hand failed: {p.stderr.decode(errors='replace')}")
    return took


async def by_cockpit(engine: Engine, poll: float) -> tuple[float, float]:
    """(seconds until cockpit knows rsync exited 0, seconds more until verified)."""
    start = time.perf_counter()
    r = await engine.transfers.start(SITE)
    assert r.done, r.message
    done_at = None
    while True:
        await engine.transfers.poll()
        s = engine.transfers.status_of(SITE)
        assert s is not None
        if s.state is TransferState.FAILED:
            raise SystemExit(f"the import failed: {s.reason}")
        if done_at is None and (s.exit_code == 0 or s.state in (TransferState.VERIFYING, TransferState.VERIFIED)):
            done_at = time.perf_counter()
        if s.state in (TransferState.VERIFIED, TransferState.UNVERIFIED):
            if s.state is TransferState.UNVERIFIED:
                raise SystemExit(f"not verified: {s.reason}")
            assert done_at is not None  # verified implies it exited 0
            return done_at - start, time.perf_counter() - done_at
        await asyncio.sleep(poll)


async def run(lab: Lab, rounds: int, poll: float) -> None:
    inv = load_inventory(lab.inventory_path)
    inv = dataclasses.replace(inv, sites=(Site(SITE, host="dest1", storage=f"/storage/{SITE}"),))
    plan = plan_import(inv, SITE)
    engine = Engine(inv)
    hand: list[float] = []
    cockpit: list[float] = []
    verify: list[float] = []
    try:
        clean(lab)
        by_hand(lab, plan.import_args, plan.remote_source)  # warm-up: the source in the page cache
        for i in range(rounds):
            clean(lab)
            hand.append(by_hand(lab, plan.import_args, plan.remote_source))
            clean(lab)
            c, v = await by_cockpit(engine, poll)
            cockpit.append(c)
            verify.append(v)
            print(f"  round {i + 1}: by hand {hand[-1]:.2f} s, by cockpit {c:.2f} s (+ verification {v:.2f} s)",
                  flush=True)
    finally:
        await engine.close()
    h, c = statistics.median(hand), statistics.median(cockpit)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"\nimport of {SITE}: by hand {h:.2f} s, by cockpit {c:.2f} s (median of {rounds})")
    print(f"ratio cockpit / by hand: {c / h:.3f}x median, {min(cockpit) / min(hand):.3f}x best of each "
          "(target <= 1.1x)")
    print(f"verification (checksum pass, extra): median {statistics.median(verify):.2f} s")
    print(f"peak RSS of the cockpit process: {rss / 1024:.1f} MiB")
    saved = save("transfer-overhead", {
        "files_bytes": "2,000 small files + 3 large, ~200 MB", "rounds": rounds, "poll_s": poll,
        "load_average": os.getloadavg()[0], "target_ratio": 1.1,
        "seconds": {"by_hand": hand, "cockpit": cockpit, "verification": verify},
        "median_s": {"by_hand": h, "cockpit": c, "verification": statistics.median(verify)},
        "ratio_median": round(c / h, 3), "ratio_best": round(min(cockpit) / min(hand), 3),
        "peak_rss_mib": round(rss / 1024, 1),
    })
    print(f"saved {saved}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--poll", type=float, default=0.2, help="seconds between the cockpit's state reads")
    args = ap.parse_args()
    lab = Lab(Path(tempfile.mkdtemp(prefix="cockpit-bench-transfer-", dir="/tmp")))
    print(f"building a two-host lab in {lab.dir} (a 2,000-file, ~200 MB tree on backup1) ...", flush=True)
    try:
        took = lab.up(fleet(), echo=lambda m: None)
        size = lab.exec("backup1", ["sh", "-c", f"find /backup/storage/{SITE} -type f | wc -l; "
                                                f"du -sm /backup/storage/{SITE}"]).stdout.decode().split()
        print(f"lab up in {took:.1f} s: {size[0]} files, {size[1]} MiB", flush=True)
        asyncio.run(run(lab, args.rounds, args.poll))
    finally:
        lab.down(echo=lambda m: None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
