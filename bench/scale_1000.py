"""Benchmark (issue #8, scale): cockpit on a lab of 1,000 hosts.

Builds a light lab (one network + mount namespace and one real sshd per host,
``FleetSpec.web(n, light=True)``), then in the same run:

* the floor (``bench/scale_floor.py``): plain asyncssh connects to every host,
  then fans the disk probe's exact command (and ``true``) out over the open
  connections, with cockpit's default caps (32 connects, 64 commands in flight);
* the cockpit (``bench/scale_ui.py``): the real CockpitApp, headless, polling
  the fleet; every sweep timed, keys pressed throughout and timed.

Prints the full sweep time (target < 5 s), the cockpit's peak RSS (target
< 300 MB), key latency p95 during sweeps (target < 100 ms) against keys pressed
between sweeps, the ratios to the floor, the CPU used by the cockpit and by the
lab's hosts, and what one host costs in memory. Results: bench/results/scale-*.json.

``--outage K``: after the first sweep, K hosts at a time lose their sshd for
10 s, round the fleet (bench/scale_outage.py, a process of its own): their
connections end and are rebuilt, the app refreezes its heap
(screens/gc_freeze.py), and the keys are timed through it; each refreeze's
duration is printed.

    .venv/bin/python bench/scale_1000.py [--hosts 1000] [--sweeps 3] [--lab-dir DIR] [--outage K]

Needs root. Its own lab is removed at the end, also on Ctrl-C or SIGTERM;
``--lab-dir`` uses a running lab (built with ``cockpit lab up --light``) and leaves it.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from benchenv import child_env, interrupt_on_sigterm, lab_cpu_seconds, save, timed

from cockpit.lab import FleetSpec, Lab
from cockpit.lab.naming import BENCH_NET, networks_in_use

HERE = Path(__file__).resolve().parent


def free_subnet(hosts: int) -> str:
    """A network in 198.18.0.0/15 big enough for ``hosts``, overlapping nothing on this machine."""
    prefix = 32 - (hosts + 101).bit_length()
    used = networks_in_use()
    for net in reversed(list(BENCH_NET.subnets(new_prefix=min(prefix, 24)))):  # from the top: labs start at 198.18.0
        if not any(net.overlaps(u) for u in used):
            return str(net)
    raise SystemExit(f"no free /{prefix} in {BENCH_NET} for the lab")


def host_memory_mib(lab: Lab) -> float:
    """Proportional set size of every process in the lab's cgroup (sshd, init, ...), per host."""
    cgroup = Path(json.loads((lab.dir / "lab-state.json").read_text())["cgroup"])
    total_kib = 0
    for procs in cgroup.rglob("cgroup.procs"):
        for pid in procs.read_text().split():
            try:
                for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                    if line.startswith("Pss:"):
                        total_kib += int(line.split()[1])
            except OSError:
                continue
    return total_kib / 1024 / max(1, len(lab.hosts))


def p(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] * 1000 if values else float("nan")
    return statistics.quantiles(values, n=100)[q - 1] * 1000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hosts", type=int, default=1000)
    ap.add_argument("--sweeps", type=int, default=3, help="steady sweeps timed after the first (connecting) one")
    ap.add_argument("--lab-dir", type=Path, help="use this running lab (not built, not removed)")
    ap.add_argument("--first", action="store_true",
                    help="the lab's hosts wait behind the cockpit (and the floor), as separate machines would")
    ap.add_argument("--no-floor", action="store_true", help="skip the plain-asyncssh floor")
    ap.add_argument("--outage", type=int, default=0, metavar="K",
                    help="after the first sweep, K hosts at a time lose sshd for 10 s (module docstring)")
    args = ap.parse_args()
    interrupt_on_sigterm()

    own = args.lab_dir is None
    lab = Lab(Path(tempfile.mkdtemp(prefix="cockpit-bench-scale-", dir="/tmp")) if own else args.lab_dir)
    out: dict[str, Any] = {"load_average_start": os.getloadavg(), "cores": os.cpu_count()}
    try:
        if own:
            net = free_subnet(args.hosts)
            print(f"building a light lab of {args.hosts} hosts on {net} in {lab.dir} ...", flush=True)
            out["lab_up_s"] = lab.up(FleetSpec.web(args.hosts, subnet=net, light=True), echo=lambda m: None)
            print(f"lab up in {out['lab_up_s']:.0f} s")
        out["hosts"] = len(lab.hosts)
        out["host_pss_mib"] = host_memory_mib(lab)
        inv = str(lab.inventory_path)
        with child_env() as env:
            out["cockpit_first"] = args.first
            if not args.no_floor:
                floor = timed([sys.executable, str(HERE / "scale_floor.py"), inv, "--sweeps", str(args.sweeps)],
                              env, lab.dir, ok=(0,))
                out["floor"] = {**json.loads(floor.stdout), "cpu_s": floor.cpu, "lab_cpu_s": floor.lab_cpu,
                                "peak_rss_mib": floor.rss_kib / 1024}
            lab0 = lab_cpu_seconds(lab.dir)
            first_sweep = lab.dir / "first-sweep-done"
            first_sweep.unlink(missing_ok=True)
            outage = subprocess.Popen(  # a session (and autogroup) of its own, as another machine's failure
                [sys.executable, str(HERE / "scale_outage.py"), str(lab.dir), str(args.outage), str(first_sweep)],
                env=env, stdout=subprocess.PIPE, text=True, start_new_session=True) if args.outage else None
            try:
                ui = timed([sys.executable, str(HERE / "scale_ui.py"), inv, "--sweeps", str(args.sweeps),
                            "--first-sweep-file", str(first_sweep), *(["--first"] if args.first else [])],
                           env, lab.dir, ok=(0,))
            finally:
                if outage is not None:
                    outage.terminate()
                    out["outage"] = {"k": args.outage, **json.loads(outage.communicate(timeout=600)[0] or "{}")}
            out["cockpit"] = {**json.loads(ui.stdout), "cpu_s": ui.cpu, "lab_cpu_s": lab_cpu_seconds(lab.dir) - lab0,
                              "peak_rss_mib": ui.rss_kib / 1024}
        out["load_average_end"] = os.getloadavg()
    finally:
        if own:
            print("removing the lab ...", flush=True)
            lab.down(echo=lambda m: None)
            shutil.rmtree(lab.dir, ignore_errors=True)
    report(out)
    print(f"saved {save('scale', out)}")
    return 0


def report(out: dict[str, Any]) -> None:
    f, c = out.get("floor"), out["cockpit"]
    sweep = statistics.median(c["sweeps_s"])
    during, idle = c["keys_during_sweep_s"], c["keys_idle_s"]
    print(f"\n{out['hosts']} hosts (light lab: one sshd per namespace, {out['host_pss_mib']:.1f} MiB PSS per host); "
          f"load average {out['load_average_start'][0]:.1f} -> {out['load_average_end'][0]:.1f} "
          f"on {out['cores']} cores" + ("; the hosts wait behind the cockpit (--first)" if out.get("cockpit_first")
                                         else ""))
    print(f"  hosts up: cockpit {c['up']}/{c['hosts']}"
          + (f", floor connected {f['connected']}/{f['hosts']}" if f else "")
          + (f"; not up: {c['errors']}" if c["errors"] else ""))
    print(f"  first sweep (connect + probe): cockpit {c['first_sweep_s']:.1f} s"
          + (f", floor connect {f['connect_s']:.1f} s" if f else ""))
    line = f"  full sweep (median of {len(c['sweeps_s'])}): cockpit {sweep:.2f} s"
    if f:
        floor_sweep, floor_true = statistics.median(f["probe_sweeps_s"]), statistics.median(f["true_sweeps_s"])
        line += (f", floor {floor_sweep:.2f} s (ratio {sweep / floor_sweep:.2f}x), `true` over the same connections "
                 f"{floor_true:.2f} s")
    print(line + "   (target < 5 s)")
    if c.get("sweeps_cpu_s"):
        print(f"  the cockpit's CPU during a steady sweep (median, keys and drawing included): "
              f"{statistics.median(c['sweeps_cpu_s']):.2f} s")
    if c.get("sweeps_up"):  # the first sweep's, then each steady one's
        print("  every sweep: " + ", ".join(
            f"{t:.2f} s ({cpu:.2f} s CPU, {up} up, {new} connects)" for t, cpu, up, new in
            zip([c["first_sweep_s"], *c["sweeps_s"]], [float("nan"), *c["sweeps_cpu_s"]], c["sweeps_up"],
                c["sweeps_connects"], strict=False)))
    print(f"  cockpit peak RSS {c['peak_rss_mib']:.0f} MiB" + (f" (floor {f['peak_rss_mib']:.0f} MiB)" if f else "")
          + "   (target < 300 MB)")
    print(f"  key latency during sweeps: p50 {p(during, 50):.0f} ms, p95 {p(during, 95):.0f} ms ({len(during)} keys); "
          f"between sweeps p95 {p(idle, 95):.0f} ms ({len(idle)} keys)   (target p95 < 100 ms)")
    slowest = max([*during, *idle], default=0.0)
    print(f"  slowest key {1000 * slowest:.0f} ms" + (" (not answered: the wait's cap)" if slowest >= 4.999 else ""))
    if c.get("keys_connecting_s"):
        conn = c["keys_connecting_s"]
        print(f"  keys during the first sweep (connecting to every host): p50 {p(conn, 50):.0f} ms, "
              f"p95 {p(conn, 95):.0f} ms, slowest {1000 * max(conn):.0f} ms ({len(conn)} keys)")
    if out.get("outage"):
        o, fr = out["outage"], c["refreezes_s"]
        print(f"  outage: {o['k']} hosts at a time without sshd for 10 s, {o.get('batches')} batches, "
              f"{c['reconnects']} reconnects; {len(fr)} refreezes"
              + (f", each {1000 * min(fr):.0f}-{1000 * max(fr):.0f} ms" if fr else ""))
    print(f"  CPU: cockpit {c['cpu_s']:.1f} s + lab {c['lab_cpu_s']:.1f} s over {1 + len(c['sweeps_s'])} sweeps"
          + (f"; floor {f['cpu_s']:.1f} s + lab {f['lab_cpu_s']:.1f} s" if f else ""))


if __name__ == "__main__":
    sys.exit(main())
