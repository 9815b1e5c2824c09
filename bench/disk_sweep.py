"""Benchmark: one full disk sweep of a lab fleet by ``cockpit status --json``,
against the floor (``bench/fanout_floor.py``: plain asyncssh fan-out of the
same command) measured in the same run. Prints the ratio and peak RSS.

Target (issue #2): at most 1.5x the floor, and under 2 s, at 50 hosts.

    .venv/bin/python bench/disk_sweep.py [--hosts 50] [--rounds 5]

Needs root: it builds its own lab (removed at the end).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cockpit.lab import FleetSpec, Lab

HERE = Path(__file__).resolve().parent


def timed(argv: list[str]) -> tuple[float, int, int]:
    """(seconds, peak RSS in KiB, exit code) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1, 2, 3):
        err = proc.stderr.read().decode() if proc.stderr else ""
        raise SystemExit(f"{argv[1:3]} failed ({proc.returncode}): {err[-500:]}")
    return took, usage.ru_maxrss, proc.returncode


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hosts", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()

    lab = Lab(Path(tempfile.mkdtemp(prefix="cockpit-bench-disk-", dir="/tmp")))
    print(f"building a lab of {args.hosts} hosts in {lab.dir} ...", flush=True)
    try:
        took = lab.up(FleetSpec.web(args.hosts), echo=lambda m: None)
        print(f"lab up in {took:.1f} s")
        inv = str(lab.inventory_path)
        cockpit = [sys.executable, "-m", "cockpit", "status", "--json", "--inventory", inv]
        floor = [sys.executable, str(HERE / "fanout_floor.py"), inv]
        timed(floor)  # warm caches (imports, sshd first fork) for both alike
        timed(cockpit)
        rows: dict[str, list[tuple[float, int, int]]] = {"floor": [], "cockpit": []}
        for _ in range(args.rounds):  # interleaved, so machine noise hits both
            rows["floor"].append(timed(floor))
            rows["cockpit"].append(timed(cockpit))
    finally:
        lab.down(echo=lambda m: None)

    med = {k: statistics.median(t for t, _, _ in v) for k, v in rows.items()}
    rss = {k: max(r for _, r, _ in v) for k, v in rows.items()}
    codes = {c for _, _, c in rows["cockpit"]}
    print(f"\n{args.hosts} hosts, {args.rounds} rounds (median wall time, whole process incl. interpreter start)")
    print(f"  floor   (asyncssh fan-out): {med['floor']:.2f} s   peak RSS {rss['floor'] / 1024:.0f} MiB")
    print(f"  cockpit status --json:      {med['cockpit']:.2f} s   peak RSS {rss['cockpit'] / 1024:.0f} MiB"
          f"   exit codes {sorted(codes)}")
    ratio = med["cockpit"] / med["floor"]
    print(f"  ratio cockpit/floor: {ratio:.2f}x   (target <= 1.5x, and < 2 s at 50 hosts)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
