"""Soak: a wallboard (the real CockpitApp, ``--wallboard``, on a real pty) watching
a 50-host lab for 30 minutes, sweeping every 2 s, with a fault injected every
minute and healed half a minute later (rotating through the lab's faults:
sshd hung/killed, link down, read-only and full mounts, ext4 error, RAID,
kernel log, MariaDB hung/killed, a nameserver stopped, SERVFAIL, slow resolver).

Prints RSS every minute with its linear-fit slope, RSS end/start (the baseline
is the same process at the start of the run), CPU used (process CPU seconds /
wall seconds) and the sweeps completed, with the load average (the machine is
shared). Beside it, over the same minutes, runs an idle Textual app (a header
with a clock, a footer): its RSS end/start is the framework's own drift, the
floor the wallboard's is read against. Saves bench/results/soak-<time>.json.

    .venv/bin/python bench/soak.py [--minutes 30] [--hosts 50] [--refresh 2] [--steps MIB] [--no-heap]
        [--no-faults | --fault-hosts N] [--tracemalloc] [--holders TYPES]

``--tracemalloc`` (slower, bigger) prints the top allocation growth between the
first and last minute, to find a leak; ``--hunt`` (bench/heap_hunt.py) prints the
containers that grew most since the first minute and who holds them, the
objects by type that grew most (a widget class among them is a leak), and who
holds the objects of the commonly rising types (Text, Style, Fraction, Pattern)
born since the first minute. ``--steps MIB`` prints each step of the heap's RSS as
it happens, with the fault in force, the focused pane, the workers running and
the objects that came with it (which render a step comes from). ``--clear-caches``
(an experiment) empties the bounded caches every minute before the heap figures:
what is left of the growth is not theirs.
Needs root: builds its own lab, removed at the end.
"""

from __future__ import annotations

import argparse
import os
import pickle
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from benchenv import STARTED_ON, save
from wallboard_proc import (
    MYSQL_HOSTS,
    Wallboard,
    lab_down,
    lab_up,
    load_average,
    new_lab,
    sigterm_exits,
    stop_all,
    write_inventory,
)

from cockpit.lab import Lab, LabError

RESULTS = Path(__file__).resolve().parent / "results"


def fault_plan(hosts: int) -> list[tuple[str, str, tuple[str, ...]]]:
    """(kind, args) cycled over; host-level faults rotate over the sshd-only web hosts."""
    return [("hang-ssh", "W", ()), ("ro-mount", "W", ("/srv",)), ("kill-mysql", "web1", ()),
            ("kill-ssh", "W", ()), ("stop-dns", "ns2", ()), ("fill", "W", ("/srv", "97")),
            ("hang-mysql", "web2", ()), ("link-down", "W", ()), ("servfail", "res1", ()),
            ("degrade-raid", "W", ()), ("fs-error", "W", ("/srv",)), ("slow-dns", "res1", ()),
            ("kernel-errors", "W", ())]


def slope_per_hour(series: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MiB) in MiB per hour."""
    if len(series) < 2:
        return 0.0
    n = len(series)
    mx = sum(t for t, _ in series) / n
    my = sum(v for _, v in series) / n
    den = sum((t - mx) ** 2 for t, _ in series)
    return 3600 * sum((t - mx) * (v - my) for t, v in series) / den if den else 0.0


class Faults:
    def __init__(self, lab: Lab, hosts: int, fault_hosts: int | None = None, only: str | None = None) -> None:
        """``fault_hosts``: host-level faults go round that many hosts only (default: every plain host);
        ``only``: that one kind of fault, over and over (to study what it alone does)."""
        self.lab, self.plan = lab, [f for f in fault_plan(hosts) if only in (None, f[0])]
        self.plain = [f"web{i}" for i in range(MYSQL_HOSTS + 1, hosts - 4 + 1)][:fault_hosts]
        self.k = 0
        self.active: tuple[str, str] | None = None
        self.log: list[dict[str, Any]] = []

    def inject(self, t: float) -> None:
        kind, host, args = self.plan[self.k % len(self.plan)]
        if host == "W":
            host = self.plain[self.k % len(self.plain)]
        self.k += 1
        try:
            self.lab.fault(host, kind, *args)
            self.active = (host, kind)
            self.log.append({"t": round(t), "fault": kind, "host": host, "ok": True})
        except LabError as e:
            self.log.append({"t": round(t), "fault": kind, "host": host, "ok": False, "error": str(e)[:300]})
        print(f"  {t / 60:5.1f} min  fault {kind} on {host}{'' if self.log[-1]['ok'] else ' FAILED'}", flush=True)

    def heal(self, t: float) -> None:
        if self.active is None:
            return
        host, kind = self.active
        self.active = None
        try:
            self.lab.heal(host, kind)
        except LabError as e:
            self.log.append({"t": round(t), "heal": kind, "host": host, "ok": False, "error": str(e)[:300]})
            print(f"  heal {kind} on {host} FAILED: {e}", flush=True)


JEMALLOC = "/usr/lib/x86_64-linux-gnu/libjemalloc.so.2"  # Debian's libjemalloc2 (BIND depends on it)


def allocator_env(allocator: str) -> dict[str, str]:
    """Environment for the children: Python's allocator (pymalloc), glibc malloc, or jemalloc preloaded."""
    if allocator == "malloc":
        return {"PYTHONMALLOC": "malloc"}
    if allocator == "jemalloc":
        return {"PYTHONMALLOC": "malloc", "LD_PRELOAD": JEMALLOC}
    return {}


def parts_line(p: dict[str, float]) -> str:
    return f"anon {p.get('RssAnon', 0):.1f} file {p.get('RssFile', 0):.1f}"


def heap_line(h: dict[str, Any]) -> str:
    if not h:
        return ""
    mib = 1 << 20
    arenas = f" in {h['py_arenas']} arenas" if h.get("py_arenas") is not None else ""
    polls = " polls " + ",".join(f"{k} {v}" for k, v in h["polls"].items()) if h.get("polls") else ""
    return (f"py blocks {h['py_blocks'] / 1000:.0f}k{arenas}"
            f" objects {h['gc_objects'] / 1000:.0f}k threads {h['threads']}"
            + (f" modules {h['modules']}" if "modules" in h else "")
            + f"  malloc used {h.get('malloc_used', 0) / mib:.1f} free {h.get('malloc_free', 0) / mib:.1f}"
            f" mmap {h.get('malloc_mmap', 0) / mib:.1f} MiB"
            + (f"  traced {h['traced'] / mib:.1f} MiB" if "traced" in h else "") + polls
            + (" rows " + ",".join(f"{k.split('/')[-1]} {v}" for k, v in h["rows"].items()) if h.get("rows") else "")
            + (f"\n      imported since: {' '.join(h['imported'])}" if h.get("imported") else ""))


def tracemalloc_growth(directory: Path, top: int = 15) -> list[str]:
    snaps = sorted(directory.glob("snap-*.pickle"), key=lambda p: int(p.stem.split("-")[1]))
    if len(snaps) < 2:
        return []
    with snaps[0].open("rb") as f:
        first: tracemalloc.Snapshot = pickle.load(f)
    with snaps[-1].open("rb") as f:
        last: tracemalloc.Snapshot = pickle.load(f)
    stats = last.compare_to(first, "traceback")
    by_file = last.compare_to(first, "filename")  # many small growths in one module add up
    out = [f"traced {sum(t.size for t in first.statistics('filename')) / 1024:.0f} KiB at the first snapshot, "
           f"{sum(t.size for t in last.statistics('filename')) / 1024:.0f} KiB at the last; by file:"]
    out += [f"{s.size_diff / 1024:+9.1f} KiB {s.count_diff:+7d} blocks  {s.traceback[0].filename}"
            for s in by_file[:8]]
    out.append("by traceback:")
    for s in stats[:top]:
        frames = " <- ".join(f"{Path(fr.filename).name}:{fr.lineno}" for fr in list(s.traceback)[-4:][::-1])
        out.append(f"{s.size_diff / 1024:+9.1f} KiB {s.count_diff:+7d} blocks  {frames}")
    return out


def run(args: argparse.Namespace, lab: Lab, trace_dir: Path | None) -> dict[str, Any]:
    took = lab_up(lab, args.hosts)
    print(f"lab of {args.hosts} hosts up in {took:.0f} s; load {load_average()}", flush=True)
    inv = write_inventory(lab, args.refresh)
    env = allocator_env(args.allocator)
    wall = Wallboard(inv, tracemalloc_dir=trace_dir, heap=not args.no_heap, env=env)
    plain = Wallboard(inv, mode="plain", env=env)  # the floor: an idle Textual app over the same minutes
    faults = Faults(lab, args.hosts, args.fault_hosts, args.only)
    try:
        wall.wait_sweeps(3, 600 if trace_dir else 180)  # warm: imports done, every connection open, panes built
        t0, cpu0, sweeps0 = time.monotonic(), wall.cpu_seconds(), wall.sweeps
        duration = args.minutes * 60
        # (seconds, VmRSS with its anonymous (heap) and file-backed (code) parts): one read of /proc each
        samples: list[tuple[float, dict[str, float]]] = [(0.0, wall.rss_parts_mib())]
        floor = [(0.0, plain.rss_mib())]
        loads = [load_average()]
        heaps: list[dict[str, Any]] = [{"t": 0, **wall.heap}] if wall.heap else []  # sent with sweep 3
        print(f"  {0:5.1f} min  RSS {samples[0][1]['VmRSS']:.1f} MiB ({parts_line(samples[0][1])})"
              f"  sweeps {wall.sweeps}  load {loads[0]}  {heap_line(wall.heap)}", flush=True)
        next_sample, next_heal = 60.0, float("inf")
        next_fault = float("inf") if args.no_faults else 0.0
        while (t := time.monotonic() - t0) < duration:
            if not wall.alive():
                raise RuntimeError(f"the wallboard died ({wall.proc.returncode}): {wall.stderr_tail()}")
            if t >= next_fault:
                faults.inject(t)
                next_fault += args.fault_every
                next_heal = t + args.fault_every / 2
            elif t >= next_heal:
                faults.heal(t)
                next_heal = float("inf")
            while wall.steps:
                st = wall.steps.pop(0)
                active = "/".join(faults.active[::-1]) if faults.active else "none"
                when = f"{t:6.1f} s" if st["sweep"] >= 3 else "start-up"  # the clock starts at sweep 3
                print(f"  {when}    RssAnon {st['anon_kib'] / 1024:.1f} MiB ({st['diff_kib'] / 1024:+.2f})"
                      f"  blocks {st['blocks'] / 1000:.0f}k  sweeps {wall.sweeps - sweeps0}  fault {active}"
                      f"  focus {st['focused']} on {st['screen']}  running {', '.join(st['workers']) or '-'}"
                      f"  objects since the last step {st['grown'] or '-'}",
                      flush=True)
            if t >= next_sample:
                samples.append((t, wall.rss_parts_mib()))
                floor.append((t, plain.rss_mib()))
                loads.append(load_average())
                heaps.append({"t": round(t), **wall.heap})
                print(f"  {t / 60:5.1f} min  RSS {samples[-1][1]['VmRSS']:.1f} MiB ({parts_line(samples[-1][1])})"
                      f"  sweeps {wall.sweeps - sweeps0}"
                      f"  load {loads[-1]}  {heap_line(wall.heap)}", flush=True)
                next_sample += 60.0
            time.sleep(0.5)
        faults.heal(duration)
        elapsed = time.monotonic() - t0
        cpu = wall.cpu_seconds() - cpu0
        samples.append((elapsed, wall.rss_parts_mib()))
        floor.append((elapsed, plain.rss_mib()))
        loads.append(load_average())
        sweeps, failed = wall.sweeps - sweeps0, wall.failed
    finally:
        stop_all(wall, plain)
    rss = [(t, p["VmRSS"]) for t, p in samples]
    parts = [{"t": round(t), **p} for t, p in samples]
    steady = [p for p in rss if p[0] >= 300] or rss
    return {"hosts": args.hosts, "refresh_s": args.refresh, "minutes": args.minutes, "elapsed_s": round(elapsed, 1),
            "sweeps": sweeps, "sweeps_failed": failed, "sweeps_per_min": round(60 * sweeps / elapsed, 1),
            "cpu_s": round(cpu, 1), "cpu_share": round(cpu / elapsed, 4),
            "rss_start_mib": round(rss[0][1], 1), "rss_end_mib": round(rss[-1][1], 1),
            "rss_end_over_start": round(rss[-1][1] / rss[0][1], 3),
            "rss_slope_mib_per_h": round(slope_per_hour(rss), 2),
            "rss_slope_after_5min_mib_per_h": round(slope_per_hour(steady), 2),
            "rss_series": [[round(t), round(v, 1)] for t, v in rss], "load_series": loads,
            "rss_parts_series": parts,
            **{f"rss_{k.lower()}_{end}_mib": round(parts[i].get(f"Rss{k}", 0), 1)
               for k in ("Anon", "File") for end, i in (("start", 0), ("end", -1))},
            "baseline_rss_start_mib": round(floor[0][1], 1), "baseline_rss_end_mib": round(floor[-1][1], 1),
            "baseline_rss_end_over_start": round(floor[-1][1] / floor[0][1], 3),
            "baseline_rss_series": [[round(t), round(v, 1)] for t, v in floor],
            "faults": faults.log, "heap_series": heaps, "tracemalloc": args.tracemalloc}


def report(r: dict[str, Any]) -> None:
    print(f"\nsoak: {r['hosts']} hosts, {r['refresh_s']:g} s sweeps, {r['elapsed_s'] / 60:.1f} min, "
          f"{sum(1 for f in r['faults'] if 'fault' in f)} faults injected and healed")
    print(f"  sweeps completed:  {r['sweeps']} ({r['sweeps_per_min']}/min), failed {r['sweeps_failed']}")
    print(f"  CPU used:          {r['cpu_s']} s = {100 * r['cpu_share']:.1f} % of one core")
    print(f"  RSS start -> end:  {r['rss_start_mib']} -> {r['rss_end_mib']} MiB   "
          f"ratio end/start {r['rss_end_over_start']:.3f}")
    print(f"  baseline:          an idle Textual app (header clock, footer) in the same run "
          f"{r['baseline_rss_start_mib']} -> {r['baseline_rss_end_mib']} MiB   "
          f"ratio end/start {r['baseline_rss_end_over_start']:.3f}")
    print(f"  of which heap:     RssAnon {r['rss_anon_start_mib']} -> {r['rss_anon_end_mib']} MiB; "
          f"file pages (code mapped in as it first runs) RssFile {r['rss_file_start_mib']} -> "
          f"{r['rss_file_end_mib']} MiB")
    print("  RssAnon by minute: " + " ".join(f"{p.get('RssAnon', 0):.1f}" for p in r["rss_parts_series"]))
    print(f"  RSS slope:         {r['rss_slope_mib_per_h']:+.2f} MiB/h overall, "
          f"{r['rss_slope_after_5min_mib_per_h']:+.2f} MiB/h after the first 5 min")
    print("  RSS by minute:     " + " ".join(f"{v:.0f}" for _, v in r["rss_series"]))
    print(f"  load average:      start {r['load_series'][0]}, end {r['load_series'][-1]} (2 shared cores)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=30.0)
    ap.add_argument("--hosts", type=int, default=50)
    ap.add_argument("--refresh", type=float, default=2.0, help="sweep interval in seconds (disks and DNS)")
    ap.add_argument("--fault-every", type=float, default=60.0, help="seconds between faults (healed halfway)")
    which = ap.add_mutually_exclusive_group()
    which.add_argument("--fault-hosts", type=int, metavar="N",
                       help="host-level faults go round N hosts only, so the same states come back every 13 faults"
                            " (by default they go round every plain host: ~570 faults before one repeats)")
    which.add_argument("--no-faults", action="store_true",
                       help="a healthy fleet throughout: what the wallboard's RSS does with no fault to show")
    ap.add_argument("--only", choices=[kind for kind, _, _ in fault_plan(50)], metavar="KIND",
                    help="inject only this kind of fault (one of: %(choices)s), to see what it alone does")
    ap.add_argument("--steps", type=float, default=0.0, metavar="MIB",
                    help="the wallboard reports its heap's RSS whenever it moved this much (read 4 times a second), "
                         "with what was running: when, in which fault, a step comes")
    ap.add_argument("--no-heap", action="store_true",
                    help="no heap figures from the wallboard (they walk every object each minute): RSS as the "
                         "cockpit command runs, without the measurement's own allocations")
    ap.add_argument("--tracemalloc", action="store_true", help="print the allocation growth (slower)")
    ap.add_argument("--allocator", choices=("pymalloc", "malloc", "jemalloc"), default="pymalloc",
                    help="the wallboard's and the idle app's allocator (default: Python's own)")
    ap.add_argument("--gc-collect", action="store_true",
                    help="the wallboard collects garbage before its heap figures every minute (leak or garbage?)")
    ap.add_argument("--clear-caches", nargs="?", const="all", choices=("all", "functools", "textual"),
                    help="an experiment: the wallboard empties the bounded caches (functools LRUs, Textual's, or"
                         " both: the default) every minute, to see how much of the RSS growth is theirs")
    ap.add_argument("--no-freeze", action="store_true",
                    help="an experiment: the wallboard does not freeze what start-up built (screens/gc_freeze.py), so"
                         " whatever of it becomes garbage later (a dropped connection) can be collected")
    ap.add_argument("--hunt", action="store_true",
                    help="the wallboard reports which containers grew most since minute 1, and who holds them")
    ap.add_argument("--holders", metavar="TYPES",
                    help="the wallboard counts who directly holds every instance of these types (comma-separated,"
                         " e.g. Text,Segment) every minute; the holders that gained most are printed")
    args = ap.parse_args()
    if args.fault_hosts is not None and args.fault_hosts < 1:
        ap.error("--fault-hosts must be at least 1")
    if args.hosts < MYSQL_HOSTS + 5:  # faults go to hosts past the MariaDB ones, and not the last four
        ap.error(f"--hosts must be at least {MYSQL_HOSTS + 5} (got {args.hosts})")
    sigterm_exits()
    if args.hunt:
        os.environ["COCKPIT_BENCH_HUNT"] = "1"
    if args.clear_caches:
        os.environ["COCKPIT_BENCH_CLEAR_CACHES"] = args.clear_caches  # inherited by the wallboard
    if args.steps:
        os.environ["COCKPIT_BENCH_STEPS"] = str(round(args.steps * 1024))  # inherited by the wallboard
    if args.holders:
        os.environ["COCKPIT_BENCH_HOLDERS"] = args.holders  # inherited by the wallboard
    if args.no_freeze:
        os.environ["COCKPIT_BENCH_NO_FREEZE"] = "1"  # inherited by the wallboard
    if args.gc_collect:
        os.environ["COCKPIT_BENCH_GC"] = "1"  # inherited by the wallboard
    lab = new_lab()
    trace_dir = Path(tempfile.mkdtemp(prefix="cockpit-bench-trace-", dir="/tmp")) if args.tracemalloc else None
    try:
        result = run(args, lab, trace_dir)
        if trace_dir is not None:
            result["tracemalloc_growth"] = tracemalloc_growth(trace_dir)
    finally:
        lab_down(lab)
        if trace_dir is not None:
            shutil.rmtree(trace_dir, ignore_errors=True)
    result["load_at_end"] = load_average()
    report(result)
    heaps = [h for h in result["heap_series"] if "types" in h]
    if len(heaps) >= 2:
        first, last = heaps[0]["types"], heaps[-1]["types"]
        grown = sorted(((last[k] - first.get(k, 0), k) for k in last), reverse=True)[:8]
        print(f"  objects by type, minute {heaps[0]['t'] // 60} -> {heaps[-1]['t'] // 60}: "
              + ", ".join(f"{k} {first.get(k, 0)} -> {last[k]}" for _, k in grown))
    if len(heaps) >= 2 and "caches" in heaps[-1]:
        c0, c1 = heaps[0]["caches"], heaps[-1]["caches"]
        print(f"  Textual LRU/FIFO caches: {c0['textual_entries']} -> {c1['textual_entries']} entries"
              f" (room for {c1['textual_max']})")
        print("  functools caches (entries/max), minute "
              f"{heaps[0]['t'] // 60} -> {heaps[-1]['t'] // 60}: " + ", ".join(
                  f"{k.split('(')[-1].rstrip(')')} {c0['functools'].get(k, [0])[0]} -> {v[0]}/{v[1]}"
                  for k, v in sorted(c1["functools"].items(), key=lambda kv: -kv[1][0])))
    if heaps and heaps[-1].get("grown"):
        print(f"  containers grown most since minute {heaps[0]['t'] // 60} (minute {heaps[-1]['t'] // 60}):")
        for line in heaps[-1]["grown"]:
            print("    " + line)
    if heaps and heaps[-1].get("newborn"):
        print(f"  Objects of the rising types born since minute {heaps[0]['t'] // 60}, still alive:")
        for line in heaps[-1]["newborn"]:
            print("    " + line)
    if len(heaps) >= 2 and heaps[-1].get("holders"):
        h0, h1 = heaps[0].get("holders", {}), heaps[-1]["holders"]
        for name, now in h1.items():
            was = h0.get(name, {})
            gained = sorted(now, key=lambda k: was.get(k, 0) - now[k])[:6]
            print(f"  who holds {name}, minute {heaps[0]['t'] // 60} -> {heaps[-1]['t'] // 60}: "
                  + ", ".join(f"{k} {was.get(k, 0)} -> {now[k]}" for k in gained))
    for line in result.get("tracemalloc_growth", []):
        print("   ", line)
    for h in heaps[1:-1]:  # every type at the first and last minute; the commonest in between
        h["types"] = dict(sorted(h["types"].items(), key=lambda kv: -kv[1])[:30])
    result["options"] = {k: v for k, v in vars(args).items() if v not in (None, False)}  # what this run was
    result["commit"] = STARTED_ON  # at the start: the wallboard ran the code of then
    out = save("soak", result)
    print(f"saved {out.relative_to(RESULTS.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
