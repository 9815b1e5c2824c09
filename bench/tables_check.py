"""Benchmark: CHECK every table of every site by the cockpit against
``mariadb-check`` (which works serially) on the same servers, in the same run.
Prints both times, the ratio and the cockpit's peak RSS, and writes them to
``bench/results/tables-<time>.json``.

Lab (issue #3): 200 site databases with 20 tables each (4,000 tables) over 4
hosts. Target: the cockpit's full check at least 2x faster than mariadb-check.

* The cockpit's full check (``bench/tables_cockpit_once.py``, the ratio): a new
  engine with no connection, SSH connects, tunnels, discovery, every CHECK,
  the status JSON's ``sites``. The whole ``cockpit status --json`` process is
  timed too and printed beside it (interpreter start, imports, disk probes).
* The baseline runs ``mariadb-check --databases <the host's sites>`` on each
  host, one host after the other, as an operator would (inside the host, over
  its socket: no SSH cost counted against it). It checks the same 4,000 tables
  (``--all-databases`` would add the system tables). Both use the default CHECK.

The machine is shared and noisy: rounds are interleaved, medians and the
spread are printed, and the load average is recorded with the result.

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
from datetime import UTC, datetime
from pathlib import Path

from cockpit.lab import HostSpec, Lab
from cockpit.lab.services.mariadb import MariaDB
from cockpit.lab.services.sshd import Sshd
from cockpit.lab.spec import FleetSpec

HERE = Path(__file__).resolve().parent


def child(argv: list[str], ok_codes: tuple[int, ...] = (0,)) -> tuple[float, int, bytes]:
    """(wall seconds, peak RSS KiB, stdout) of a child process."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        took = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) not in ok_codes:
            raise SystemExit(f"{' '.join(argv[1:3])} failed ({os.waitstatus_to_exitcode(status)})")
        out.seek(0)
        return took, usage.ru_maxrss, out.read()


def cockpit_check(inventory: Path, total: int) -> tuple[float, int]:
    """(seconds of the full check as the child measured it, peak RSS KiB)."""
    _, rss, out = child([sys.executable, str(HERE / "tables_cockpit_once.py"), str(inventory)])
    took, checked, _, ok = out.split()
    if int(checked) != total or int(ok) != total:
        print(f"warning: the cockpit checked {int(checked)} of {total} tables ({int(ok)} ok)")
    return float(took), rss


def cockpit_status(inventory: Path) -> tuple[float, int]:
    """(seconds of a whole ``cockpit status --json`` process, peak RSS KiB)."""
    took, rss, out = child([sys.executable, "-m", "cockpit", "status", "--json", "--inventory", str(inventory)],
                           ok_codes=(0, 1, 2, 3))
    json.loads(out)
    return took, rss


def baseline_once(lab: Lab, sites: dict[str, list[str]]) -> float:
    start = time.perf_counter()
    for host, dbs in sites.items():  # serially, host after host
        p = lab.exec(host, ["mariadb-check", "--databases", *dbs], timeout=3600)
        if p.returncode != 0:
            raise SystemExit(f"mariadb-check on {host} failed: {p.stderr.decode()[-300:]}")
    return time.perf_counter() - start


def spread(xs: list[float]) -> str:
    return f"median {statistics.median(xs):.2f} s  (min {min(xs):.2f}, max {max(xs):.2f}: " \
           f"{', '.join(f'{x:.2f}' for x in xs)})"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hosts", type=int, default=4)
    ap.add_argument("--sites", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--rows-scale", type=float, default=1.0,
                    help="rows per table relative to the lab schema (1.0: a few thousand rows per site)")
    ap.add_argument("--no-save", action="store_true", help="do not write bench/results/tables-*.json")
    ap.add_argument("--lab", type=Path, help="use this lab, up already with the same --hosts/--sites (kept)")
    args = ap.parse_args()

    per_host = args.sites // args.hosts
    sites = {f"web{h}": [f"site{h}x{i:03d}" for i in range(per_host)] for h in range(1, args.hosts + 1)}
    spec = FleetSpec(tuple(
        HostSpec(host, services=(Sshd(), MariaDB(sites=tuple(dbs), extra_tables=8, rows_scale=args.rows_scale)))
        for host, dbs in sites.items()))
    lab = Lab(args.lab or Path(tempfile.mkdtemp(prefix="cockpit-bench-tables-", dir="/tmp")))
    total = sum(len(v) for v in sites.values()) * 20
    try:
        if args.lab is None:
            print(f"building a lab of {args.hosts} hosts, {args.sites} sites, {total} tables in {lab.dir} ...",
                  flush=True)
            print(f"lab up in {lab.up(spec, echo=lambda m: None):.1f} s", flush=True)
        load_before = os.getloadavg()[0]
        cockpit_check(lab.inventory_path, total)  # warm caches (imports, table caches) for both alike
        baseline_once(lab, sites)
        rows: dict[str, list[float]] = {"mariadb-check": [], "check": [], "status": []}
        rss: dict[str, list[int]] = {"check": [], "status": []}
        for _ in range(args.rounds):  # interleaved, so machine noise hits all alike
            rows["mariadb-check"].append(baseline_once(lab, sites))
            t, r = cockpit_check(lab.inventory_path, total)
            rows["check"].append(t)
            rss["check"].append(r)
            t, r = cockpit_status(lab.inventory_path)
            rows["status"].append(t)
            rss["status"].append(r)
            print(f"  round: mariadb-check {rows['mariadb-check'][-1]:.2f} s, cockpit check {rows['check'][-1]:.2f} s,"
                  f" status --json {rows['status'][-1]:.2f} s", flush=True)
        load_after = os.getloadavg()[0]
    finally:
        if args.lab is None:
            lab.down(echo=lambda m: None)
    base, check, status = (statistics.median(rows[k]) for k in ("mariadb-check", "check", "status"))
    print(f"tables checked:            {total} over {args.hosts} hosts, {args.rounds} rounds, "
          f"load average {load_before:.1f} before, {load_after:.1f} after (2 cores)")
    print(f"mariadb-check (serial):    {spread(rows['mariadb-check'])}")
    print(f"cockpit full check:        {spread(rows['check'])}")
    print(f"cockpit status --json:     {spread(rows['status'])}  (whole process)")
    print(f"ratio mariadb-check/cockpit full check: {base / check:.2f}x  (target: at least 2x)")
    print(f"ratio mariadb-check/whole status --json: {base / status:.2f}x")
    print(f"cockpit peak RSS: full check {max(rss['check']) / 1024:.1f} MiB, "
          f"status --json {max(rss['status']) / 1024:.1f} MiB")
    if not args.no_save:
        at = datetime.now(UTC)
        result = {
            "at": at.strftime("%Y-%m-%dT%H:%M:%SZ"), "hosts": args.hosts, "sites": args.sites, "tables": total,
            "rounds": args.rounds, "load_average_before": round(load_before, 1),
            "load_average_after": round(load_after, 1),
            "seconds": {k: [round(x, 3) for x in v] for k, v in rows.items()},
            "median_s": {"mariadb-check": round(base, 3), "check": round(check, 3), "status": round(status, 3)},
            "ratio_check": round(base / check, 3), "ratio_status": round(base / status, 3),
            "target_ratio": 2.0,
            "peak_rss_mb": {k: round(max(v) / 1024, 1) for k, v in rss.items()},
        }
        path = HERE / "results" / f"tables-{at.strftime('%Y%m%dT%H%M%S')}.json"
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(result, indent=1) + "\n")
        print(f"written to {path.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
