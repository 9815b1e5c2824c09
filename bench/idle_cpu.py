"""Idle CPU: the wallboard (the real CockpitApp, ``--wallboard``, on a real pty
of 200x60) watching a 50-host lab where nothing is wrong, at the inventory's
usual sweep intervals. Target (issue #8): under 3 % of one core, averaged over 60 s.

Measured in the same run, one after the other on the same pty size:

* ``plain``: an idle Textual app (header with a clock, footer): the floor;
* ``no-poll``: the same wallboard with no sweeps (its timers and rendering alone);
* ``wallboard``: the real thing.

CPU is the process's own user+system time over the window (so the machine's
load slows it but does not count in it); the load average is printed too.

    .venv/bin/python bench/idle_cpu.py [--hosts 50] [--seconds 60] [--refresh S]

Needs root: builds its own lab, removed at the end.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from benchenv import save
from wallboard_proc import TICK, Wallboard, lab_down, lab_up, load_average, new_lab, sigterm_exits, write_inventory

RESULTS = Path(__file__).resolve().parent / "results"
MODES = ("plain", "no-poll", "wallboard")


def steal_seconds() -> float:
    """CPU time the hypervisor gave to others, all cores, so far (/proc/stat): a busy host machine shows here."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()
    return int(fields[8]) / TICK if len(fields) > 8 else 0.0


def measure(inv: Path, mode: str, seconds: float, warm: float) -> dict[str, Any]:
    wall = Wallboard(inv, mode=mode)
    try:
        if mode == "wallboard":
            wall.wait_sweeps(3, 120)
        time.sleep(warm)
        if not wall.alive():
            raise RuntimeError(f"{mode} exited ({wall.proc.returncode}): {wall.stderr_tail()}")
        cpu0, sweeps0, t0, load0 = wall.cpu_seconds(), wall.sweeps, time.monotonic(), load_average()
        faults0, steal0 = wall.major_faults(), steal_seconds()
        time.sleep(seconds)
        cpu, took = wall.cpu_seconds() - cpu0, time.monotonic() - t0
        return {"mode": mode, "cpu_s": round(cpu, 2), "wall_s": round(took, 1), "percent": round(100 * cpu / took, 2),
                "sweeps": wall.sweeps - sweeps0, "rss_mib": round(wall.rss_mib(), 1),
                "major_faults": wall.major_faults() - faults0, "steal_s": round(steal_seconds() - steal0, 2),
                "load_before": load0, "load_after": load_average()}
    finally:
        wall.stop()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hosts", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60.0, help="measuring window per process")
    ap.add_argument("--warm", type=float, default=20.0, help="seconds after start-up (and 3 sweeps) before measuring")
    ap.add_argument("--refresh", type=float, default=None, help="sweep interval (default: the inventory's)")
    args = ap.parse_args()
    sigterm_exits()
    lab = new_lab()
    try:
        took = lab_up(lab, args.hosts)
        print(f"lab of {args.hosts} healthy hosts up in {took:.0f} s; load {load_average()}", flush=True)
        inv = write_inventory(lab, args.refresh)
        rows = []
        for mode in MODES:
            rows.append(measure(inv, mode, args.seconds, args.warm))
            r = rows[-1]
            print(f"  {mode:10} {r['percent']:5.2f} % of one core ({r['cpu_s']} s CPU in {r['wall_s']} s)"
                  f"  sweeps {r['sweeps']}  RSS {r['rss_mib']} MiB  major faults {r['major_faults']}"
                  f"  steal {r['steal_s']} s  load {r['load_after']}", flush=True)
    finally:
        lab_down(lab)
    by = {r["mode"]: r for r in rows}
    floor = max(by["plain"]["percent"], 0.01)
    result = {"hosts": args.hosts, "seconds": args.seconds, "refresh_s": args.refresh, "runs": rows,
              "wallboard_percent": by["wallboard"]["percent"],
              "ratio_wallboard_over_plain": round(by["wallboard"]["percent"] / floor, 2),
              "ratio_no_poll_over_plain": round(by["no-poll"]["percent"] / floor, 2)}
    print(f"\nidle wallboard, {args.hosts} healthy hosts: {result['wallboard_percent']:.2f} % of one core "
          f"(target < 3 %)")
    print(f"  ratio vs an idle Textual app: {result['ratio_wallboard_over_plain']:.2f}x "
          f"(wallboard without sweeps: {result['ratio_no_poll_over_plain']:.2f}x)")
    out = save("idle-cpu", result)
    print(f"saved {out.relative_to(RESULTS.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
