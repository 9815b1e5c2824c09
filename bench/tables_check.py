"""Benchmark: CHECK every table of every site by ``cockpit status --json``
against ``mariadb-check`` (which works serially) run on the same servers in
the same run. Prints both times, the ratio and the cockpit's peak RSS.

Lab (issue #3): 200 site databases with 20 tables each (4,000 tables) over 4
hosts. Target: the cockpit at least 2x faster than mariadb-check.

The baseline runs ``mariadb-check --databases <the host's sites>`` on each
host, one host after the other, as an operator would (inside the host, over
its socket: no SSH cost counted against it). Both use the default CHECK.

    .venv/bin/python bench/tables_check.py [--hosts 4] [--sites 200] [--rounds 3] [--rows-scale 1.0]

Needs root: it builds its own lab (removed at the end).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from cockpit.lab import HostSpec, Lab
from cockpit.lab.services.mariadb import MariaDB
from cockpit.lab.services.sshd import Sshd
from cockpit.lab.spec import FleetSpec


def cockpit_once(inventory: Path) -> tuple[float, int, int]:
    """(seconds, peak RSS KiB, tables checked) of one ``cockpit status --json``."""
    argv = [sys.executable, "-m", "cockpit", "status", "--json", "--inventory", str(inventory)]
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        took = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code not in (0, 1, 2, 3):
            raise SystemExit(f"cockpit status failed ({code})")
        out.seek(0)
        doc = json.load(out)
    checked = sum(s["tables_checked"] for s in doc["sites"])
    return took, usage.ru_maxrss, checked


def baseline_once(lab: Lab, sites: dict[str, list[str]]) -> float:
    start = time.perf_counter()
    for host, dbs in sites.items():  # serially, host after host
        p = lab.exec(host, ["mariadb-check", "--databases", *dbs], timeout=3600)
        if p.returncode != 0:
            raise SystemExit(f"mariadb-check on {host} failed: {p.stderr.decode()[-300:]}")
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hosts", type=int, default=4)
    ap.add_argument("--sites", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--rows-scale", type=float, default=1.0,
                    help="rows per table relative to the lab schema (1.0: a few thousand rows per site)")
    args = ap.parse_args()

    per_host = args.sites // args.hosts
    sites = {f"web{h}": [f"site{h}x{i:03d}" for i in range(per_host)] for h in range(1, args.hosts + 1)}
    spec = FleetSpec(tuple(
        HostSpec(host, services=(Sshd(), MariaDB(sites=tuple(dbs), extra_tables=8, rows_scale=args.rows_scale)))
        for host, dbs in sites.items()))
    lab = Lab(Path(tempfile.mkdtemp(prefix="cockpit-bench-tables-", dir="/tmp")))
    total = sum(len(v) for v in sites.values()) * 20
    print(f"building a lab of {args.hosts} hosts, {args.sites} sites, {total} tables in {lab.dir} ...", flush=True)
    try:
        took = lab.up(spec, echo=lambda m: None)
        print(f"lab up in {took:.1f} s")
        cockpit_once(lab.inventory_path)  # warm caches (imports, table caches) for both alike
        baseline_once(lab, sites)
        rows: dict[str, list[float]] = {"mariadb-check": [], "cockpit": []}
        rss: list[int] = []
        for _ in range(args.rounds):  # interleaved, so machine noise hits both
            rows["mariadb-check"].append(baseline_once(lab, sites))
            t, r, checked = cockpit_once(lab.inventory_path)
            if checked != total:
                print(f"warning: the cockpit checked {checked} of {total} tables")
            rows["cockpit"].append(t)
            rss.append(r)
        base, ours = statistics.median(rows["mariadb-check"]), statistics.median(rows["cockpit"])
        print(f"tables checked:          {total} over {args.hosts} hosts")
        print(f"mariadb-check (serial):  median {base:.2f} s  ({', '.join(f'{x:.2f}' for x in rows['mariadb-check'])})")
        print(f"cockpit status --json:   median {ours:.2f} s  ({', '.join(f'{x:.2f}' for x in rows['cockpit'])})")
        print(f"ratio mariadb-check/cockpit: {base / ours:.2f}x  (target: at least 2x)")
        print(f"cockpit peak RSS: {max(rss) / 1024:.1f} MiB")
    finally:
        lab.down(echo=lambda m: None)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
