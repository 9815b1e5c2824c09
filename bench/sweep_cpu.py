"""CPU per steady disk sweep, in the engine (no UI): the part of an idle wallboard's
CPU that the sweeps cost (issue #8: the idle wallboard's target is < 3 % of one core).

One Engine, connected once; then rounds of sweeps alternate between two ways of
running the disk probe, so machine noise hits both alike:

* ``session``: a new SSH session per probe per sweep (``pool.reuse_shells = False``): the baseline;
* ``shell``: each host's probe shell, opened once (``SshPool.run(..., reuse=True)``).

Per sweep: the cockpit's own CPU (``time.process_time``: the machine's load slows
it but does not count in it), the lab's CPU (its cgroup: sshd, shells, df ...),
and the wall time. Prints medians and the ratio shell / session. Results:
bench/results/sweep-cpu-*.json.

    .venv/bin/python bench/sweep_cpu.py [--hosts 50] [--rounds 5] [--sweeps 4] [--lab-dir DIR]

Needs root: builds its own light lab (removed at the end, also on Ctrl-C),
unless ``--lab-dir`` names a running lab (left running).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchenv import interrupt_on_sigterm, lab_cpu_seconds, save

from cockpit.engine.engine import Engine
from cockpit.engine.hoststate import Reach
from cockpit.inventory import load_inventory
from cockpit.lab import FleetSpec, Lab

MODES = ("session", "shell")


async def measure(inventory: Path, lab_dir: Path, rounds: int, sweeps: int) -> dict[str, list[dict[str, float]]]:
    engine = Engine(load_inventory(inventory), read_only=True)
    rows: dict[str, list[dict[str, float]]] = {m: [] for m in MODES}
    try:
        for mode in MODES:  # warm up both: connections, shells, byte code, sshd's page cache
            engine.pool.reuse_shells = mode == "shell"
            await engine.sweep_disks()
        for _ in range(rounds):
            for mode in MODES:
                engine.pool.reuse_shells = mode == "shell"
                for _ in range(sweeps):
                    cpu0, lab0, t0 = time.process_time(), lab_cpu_seconds(lab_dir), time.perf_counter()
                    states = await engine.sweep_disks()
                    cpu, lab_cpu = time.process_time() - cpu0, lab_cpu_seconds(lab_dir) - lab0
                    rows[mode].append({"cpu_s": cpu, "lab_cpu_s": lab_cpu, "wall_s": time.perf_counter() - t0,
                                       "hosts": len(states),
                                       "up": sum(s.reach is Reach.UP for s in states.values())})
    finally:
        await engine.close()
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hosts", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--sweeps", type=int, default=4, help="sweeps per mode per round")
    ap.add_argument("--lab-dir", type=Path, help="use this running lab (not built, not removed)")
    args = ap.parse_args()
    interrupt_on_sigterm()
    own = args.lab_dir is None
    lab = Lab(Path(tempfile.mkdtemp(prefix="cockpit-bench-sweepcpu-", dir="/tmp")) if own else args.lab_dir)
    load0 = os.getloadavg()
    try:
        if own:
            print(f"building a light lab of {args.hosts} hosts in {lab.dir} ...", flush=True)
            print(f"lab up in {lab.up(FleetSpec.web(args.hosts, light=True), echo=lambda m: None):.1f} s", flush=True)
        rows = asyncio.run(measure(lab.inventory_path, lab.dir, args.rounds, args.sweeps))
    finally:
        if own:
            lab.down(echo=lambda m: None)
            shutil.rmtree(lab.dir, ignore_errors=True)
    load1 = os.getloadavg()
    hosts = int(rows["shell"][0]["hosts"])
    med: dict[str, dict[str, Any]] = {m: {k: statistics.median(r[k] for r in rows[m]) for k in rows[m][0]}
                                      for m in MODES}
    print(f"\n{hosts} hosts, {len(rows['shell'])} steady sweeps per mode (median); load average "
          f"{load0[0]:.1f} -> {load1[0]:.1f} on {os.cpu_count()} cores")
    for m in MODES:
        r = med[m]
        print(f"  {m:8} cockpit CPU {1000 * r['cpu_s']:6.1f} ms/sweep  lab CPU {1000 * r['lab_cpu_s']:6.1f} ms/sweep"
              f"  wall {r['wall_s']:.2f} s  up {r['up']:.0f}/{hosts}")
    ratio = {k: med["shell"][k] / max(med["session"][k], 1e-9) for k in ("cpu_s", "lab_cpu_s", "wall_s")}
    print(f"  ratio shell/session: cockpit CPU {ratio['cpu_s']:.2f}x, lab CPU {ratio['lab_cpu_s']:.2f}x, "
          f"wall {ratio['wall_s']:.2f}x")
    path = save("sweep-cpu", {"hosts": hosts, "load_average_start": load0, "load_average_end": load1,
                              "cores": os.cpu_count(), "median": med, "ratio_shell_over_session": ratio, "runs": rows})
    print(f"  saved {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
