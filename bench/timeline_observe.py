"""Benchmark: what the incident timeline adds to every sweep.

The steady state of a sweep is "nothing changed": the engine diffs every fact
of every host against the timeline (reading what other cockpits appended). This
times ``Timeline.observe_many`` for a fleet where nothing changed against the
floor of merely building the same observations, in the same run, and the cost
of one recorded (fsynced) change. Prints ratios and peak RSS; no lab needed.

    .venv/bin/python bench/timeline_observe.py [--hosts 50] [--history 5000] [--rounds 200]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cockpit.disk.model import DiskReport, KernelLog, MountStatus, RaidStatus
from cockpit.engine.hoststate import HostState, Reach
from cockpit.severity import Severity
from cockpit.timeline import Observation, Timeline
from cockpit.timeline.disk_facts import host_observations

T0 = datetime(2026, 11, 25, 19, 0, tzinfo=UTC)


def fleet(n: int) -> list[HostState]:
    mounts = tuple(MountStatus(mp, "/dev/md0", "ext4", False, False, 40.0, 3.0, Severity.OK)
                   for mp in ("/", "/srv", "/storage", "/var"))
    raid = (RaidStatus("md0", "raid1", 2, 2, "clean", None, Severity.OK),)
    report = DiskReport(mounts=mounts, raid=raid, kernel=KernelLog(readable=True, count=0, severity=Severity.OK),
                        severity=Severity.OK)
    return [HostState(f"web{i}", f"198.18.0.{i}", "primary", Reach.UP, disk=report, checked_at=T0, disk_at=T0)
            for i in range(n)]


def per_call(fn, rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--hosts", type=int, default=50)
    ap.add_argument("--history", type=int, default=5000, help="events already in the file")
    ap.add_argument("--rounds", type=int, default=200)
    args = ap.parse_args()
    hosts = fleet(args.hosts)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "timeline.jsonl"
        seed = Timeline(path, by="bench")
        seed.observe_many(Observation(fact=f"old/{i}", value="bad", normal="ok", kind="k", subject="s",
                                      summary="an older incident", at=T0 - timedelta(days=1))
                          for i in range(args.history))
        tl = Timeline(path, by="bench")
        start = time.perf_counter()
        tl.events()
        load = time.perf_counter() - start
        floor = per_call(lambda: [o for h in hosts for o in host_observations(h)], args.rounds)
        steady = per_call(lambda: tl.observe_many([o for h in hosts for o in host_observations(h)]), args.rounds)
        n = iter(range(10**9))
        change = per_call(lambda: tl.observe(Observation(fact=f"new/{next(n)}", value="bad", normal="ok", kind="k",
                                                         subject="s", summary="x", at=T0)), 50)
    facts = sum(len(host_observations(h)) for h in hosts)
    print(f"{args.hosts} hosts, {facts} facts per sweep, {args.history} events in the file")
    print(f"load the file once (restart):        {load * 1000:8.2f} ms")
    print(f"build observations (floor):           {floor * 1000:8.3f} ms")
    print(f"observe_many, nothing changed:        {steady * 1000:8.3f} ms  ratio {steady / floor:5.2f}x the floor")
    print(f"one change recorded (flock + fsync):  {change * 1000:8.3f} ms")
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MiB")


if __name__ == "__main__":
    main()
