"""Benchmark: CHECK every table of every site by the cockpit against
``mariadb-check`` (which works serially) on the same servers, in the same run.
Prints both times, the ratio and both sides' peak RSS, and writes them to
``bench/results/tables-<time>.json``.

Lab (issue #3): 200 site databases with 20 tables each (4,000 tables) over 4
hosts. Target: the cockpit's full check at least 2x faster than mariadb-check,
because it checks the hosts in parallel.

Two modes, both printed, in the same run against the same servers:

* **shared** (as the lab is): the 4 mariadbd share this machine's cores with
  the cockpit. CHECK is mostly server CPU, so on 2 cores checking the hosts in
  parallel cannot beat checking them one after the other: this mode measures
  the cockpit's overhead, not the target.
* **capped** (``--cap-cores``): every lab host gets an equal CPU quota
  (``bench/cpu_quota.py``: cgroup ``cpu.max``, or the v1 ``cpu`` controller
  where v2 has none), so each host behaves as its own machine of equal speed,
  as the target presumes. Only the hosts are capped (mariadbd, sshd and what
  they run); the cockpit and the mariadb-check client are not.
  The default keeps one core for the cockpit, as its own machine would:
  (cores - 1) / hosts, 0.25 on 2 cores and 4 hosts. The cockpit is one
  Python process that needs up to a core while results stream in (measured:
  1.6 s of CPU in a 2.5 s check); with 4 x 0.4 the hosts and the cockpit
  asked for more than 2 cores, so the hosts got their quota while the serial
  baseline ran and not while the cockpit did (1.4-1.8x at 0.4; run
  ``--cap-cores 0.4`` to compare).

What is timed:

* The cockpit's full check (``bench/tables_cockpit_once.py``, the ratio): a new
  engine with no connection, SSH connects, tunnels, discovery, every CHECK,
  the status JSON's ``sites``. The whole ``cockpit status --json`` process is
  timed too and printed beside it (interpreter start, imports, disk probes).
* The baseline runs ``mariadb-check --databases <the host's sites>`` in each
  host (over its socket, through nsenter: no SSH cost counted against it), one
  host after the other, as an operator would.

Fairness, checked and printed by the run: both check the same tables (the
names each side reports are compared), with the same CHECK level (the default,
MEDIUM: the cockpit sends ``CHECK TABLE db.t``, mariadb-check runs without
--quick/--fast/--medium-check/--extended/--changed), and neither checks the
system databases (``--all-databases`` would add them: their count is printed;
the baseline names the site databases instead).

The machine is shared and noisy: rounds are interleaved, medians and the
spread are printed, and the load average is recorded with each mode.

    .venv/bin/python bench/tables_check.py [--hosts 4] [--sites 200] [--rounds 3] [--cap-cores 0.25]
                                           [--rows-scale 1.0] [--lab DIR] [--keep-lab DIR]

Needs root: it builds its own lab (removed at the end) unless ``--lab`` names
one that is up with the same --hosts/--sites (``--keep-lab DIR`` builds it
there and leaves it up for later runs).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from benchenv import STARTED_ON, interrupt_on_sigterm, peak_rss_kib, rss_wrapped
from cpu_quota import host_quotas

from cockpit.lab import HostSpec, Lab
from cockpit.lab.procs import SERVICE_ENV
from cockpit.lab.services.mariadb import MariaDB
from cockpit.lab.services.sshd import Sshd
from cockpit.lab.spec import FleetSpec
from cockpit.tables.sql import check_table

HERE = Path(__file__).resolve().parent
SYSTEM_DBS = ("mysql", "sys", "performance_schema", "information_schema")
# mariadb-check options that change the CHECK level; the baseline uses none of them
LEVEL_OPTIONS = ("--quick", "--fast", "--medium-check", "--extended", "--changed", "-q", "-F", "-m", "-e", "-C")


def child(argv: list[str], ok_codes: tuple[int, ...] = (0,), env: dict[str, str] | None = None,
          ) -> tuple[float, int, bytes]:
    """(wall seconds, peak RSS KiB, stdout) of a child process (and the children it waited for);
    the RSS through GNU time (see bench/benchenv.py: wait4's from here would include ours)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(prefix="cockpit-bench-rss-") as rss:
        start = time.perf_counter()
        proc = subprocess.Popen(rss_wrapped(argv, Path(rss.name)), stdout=out, stderr=err, env=env)
        _, status, _ = os.wait4(proc.pid, 0)
        took = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) not in ok_codes:
            err.seek(0)
            raise SystemExit(f"{' '.join(argv[:3])} failed ({os.waitstatus_to_exitcode(status)}): "
                             f"{err.read().decode(errors='replace')[-400:]}")
        out.seek(0)
        return took, peak_rss_kib(Path(rss.name)), out.read()


@dataclass
class Mode:
    """One mode's rounds: seconds and peak RSS (KiB) of each side."""

    name: str
    seconds: dict[str, list[float]] = field(default_factory=lambda: {"mariadb-check": [], "check": [], "status": []})
    rss: dict[str, list[int]] = field(default_factory=lambda: {"mariadb-check": [], "check": [], "status": []})
    load: list[float] = field(default_factory=list)
    how: str = ""

    def add(self, side: str, took: float, rss: int) -> None:
        self.seconds[side].append(took)
        self.rss[side].append(rss)

    def median(self, side: str) -> float:
        return statistics.median(self.seconds[side])

    def ratio(self, side: str = "check") -> float:
        return self.median("mariadb-check") / self.median(side)

    def summary(self) -> dict[str, object]:
        return {"how": self.how, "load_average": [round(x, 1) for x in self.load],
                "seconds": {k: [round(x, 3) for x in v] for k, v in self.seconds.items()},
                "median_s": {k: round(self.median(k), 3) for k in self.seconds},
                "ratio_check": round(self.ratio(), 3), "ratio_status": round(self.ratio("status"), 3),
                "peak_rss_mb": {k: round(max(v) / 1024, 1) for k, v in self.rss.items()}}


class Bench:
    def __init__(self, lab: Lab, sites: dict[str, list[str]], total: int):
        self.lab, self.sites, self.total = lab, sites, total
        self.names_file = Path(tempfile.mkstemp(prefix="cockpit-bench-tables-", suffix=".txt")[1])

    def cockpit_check(self) -> tuple[float, int]:
        """(seconds of the full check as the child measured it, peak RSS KiB)."""
        _, rss, out = child([sys.executable, str(HERE / "tables_cockpit_once.py"), str(self.lab.inventory_path),
                             str(self.names_file)])
        took, checked, _, ok = out.split()
        if int(checked) != self.total or int(ok) != self.total:
            print(f"warning: the cockpit checked {int(checked)} of {self.total} tables ({int(ok)} ok)")
        return float(took), rss

    def cockpit_status(self) -> tuple[float, int]:
        """(seconds of a whole ``cockpit status --json`` process, peak RSS KiB)."""
        took, rss, out = child([sys.executable, "-m", "cockpit", "status", "--json", "--inventory",
                                str(self.lab.inventory_path)], ok_codes=(0, 1, 2, 3))
        json.loads(out)
        return took, rss

    def mariadb_check(self) -> tuple[float, int, bytes]:
        """mariadb-check in each host, serially: (seconds, the largest peak RSS KiB, all its output)."""
        start, rss, output = time.perf_counter(), 0, b""
        for host, dbs in self.sites.items():  # serially, host after host
            _, r, out = child([*self.lab.handle(host).nsenter(), *self.baseline_argv(dbs)], env=SERVICE_ENV)
            rss, output = max(rss, r), output + out
        return time.perf_counter() - start, rss, output

    @staticmethod
    def baseline_argv(dbs: list[str]) -> list[str]:
        return ["mariadb-check", "--databases", *dbs]

    def round(self, mode: Mode) -> None:
        took, rss, _ = self.mariadb_check()
        mode.add("mariadb-check", took, rss)
        mode.add("check", *self.cockpit_check())
        mode.add("status", *self.cockpit_status())
        print(f"  {mode.name} round: mariadb-check {mode.seconds['mariadb-check'][-1]:.2f} s, "
              f"cockpit check {mode.seconds['check'][-1]:.2f} s, status --json {mode.seconds['status'][-1]:.2f} s",
              flush=True)

    def run_mode(self, mode: Mode, rounds: int) -> Mode:
        mode.load.append(os.getloadavg()[0])
        self.cockpit_check()  # warm caches (imports, table caches, a new quota's first period) for both alike
        self.mariadb_check()
        for _ in range(rounds):  # interleaved, so machine noise hits both alike
            self.round(mode)
        mode.load.append(os.getloadavg()[0])
        return mode

    def fairness(self) -> dict[str, object]:
        """What each side checks, compared; the CHECK level; the system databases --all-databases would add."""
        _, _, out = self.mariadb_check()
        site_dbs = {d for dbs in self.sites.values() for d in dbs}
        theirs = {m.group(1) for m in re.finditer(rb"^([A-Za-z0-9_$-]+\.[A-Za-z0-9_$-]+)", out, re.M)}
        baseline = {n.decode() for n in theirs if n.split(b".")[0].decode() in site_dbs}
        others = sorted(n.decode() for n in theirs) if len(baseline) != len(theirs) else []
        self.cockpit_check()
        ours = set(self.names_file.read_text().split())
        argv = self.baseline_argv(["db"])
        statement = check_table("db", "t")
        level_ok = statement == "CHECK TABLE `db`.`t`" and not set(argv) & set(LEVEL_OPTIONS)
        host = next(iter(self.sites))
        quoted = ", ".join(f"'{d}'" for d in SYSTEM_DBS)
        p = self.lab.exec(host, ["mariadb", "-N", "-B", "-e",
                                 "SELECT TABLE_SCHEMA, COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA IN "
                                 f"({quoted}) AND TABLE_TYPE = 'BASE TABLE' GROUP BY TABLE_SCHEMA"])
        system = {k: int(v) for k, v in (line.split("\t") for line in p.stdout.decode().splitlines() if "\t" in line)}
        return {"same_tables": ours == baseline and not others, "cockpit_tables": len(ours),
                "mariadb_check_tables": len(baseline), "only_cockpit": sorted(ours - baseline)[:5],
                "only_mariadb_check": sorted(baseline - ours)[:5], "mariadb_check_other_tables": others[:5],
                "check_level": "default (MEDIUM) on both" if level_ok else f"DIFFERENT: cockpit sends {statement!r}",
                "cockpit_statement": statement, "baseline_argv": " ".join(self.baseline_argv(["<site dbs>"])),
                "system_tables_per_host_with_all_databases": system}


def spread(xs: list[float]) -> str:
    return f"median {statistics.median(xs):.2f} s  (min {min(xs):.2f}, max {max(xs):.2f}: " \
           f"{', '.join(f'{x:.2f}' for x in xs)})"


def report(mode: Mode, hosts: int) -> None:
    s = mode.seconds
    print(f"\n[{mode.name}] {mode.how}")
    print(f"  load average {mode.load[0]:.1f} before, {mode.load[-1]:.1f} after ({os.cpu_count()} cores)")
    print(f"  mariadb-check (serial, {hosts} hosts):  {spread(s['mariadb-check'])}")
    print(f"  cockpit full check:              {spread(s['check'])}")
    print(f"  cockpit status --json:           {spread(s['status'])}  (whole process)")
    print(f"  ratio mariadb-check/cockpit full check:    {mode.ratio():.2f}x  (target: at least 2x)")
    print(f"  ratio mariadb-check/whole status --json:   {mode.ratio('status'):.2f}x")
    print(f"  peak RSS: mariadb-check {max(mode.rss['mariadb-check']) / 1024:.1f} MiB, cockpit full check "
          f"{max(mode.rss['check']) / 1024:.1f} MiB, status --json {max(mode.rss['status']) / 1024:.1f} MiB")


def print_fairness(f: dict[str, object]) -> None:
    print("\nfairness:")
    if f["same_tables"]:
        print(f"  same tables: both checked the same {f['cockpit_tables']} tables (names compared)")
    else:
        print(f"  NOT the same tables: cockpit {f['cockpit_tables']}, mariadb-check {f['mariadb_check_tables']}; "
              f"only cockpit e.g. {f['only_cockpit']}, only mariadb-check e.g. {f['only_mariadb_check']}, "
              f"other tables mariadb-check checked e.g. {f['mariadb_check_other_tables']}")
    print(f"  CHECK level: {f['check_level']} (cockpit: {f['cockpit_statement']} per table; "
          f"baseline: {f['baseline_argv']})")
    system = f["system_tables_per_host_with_all_databases"]
    print(f"  system databases: --all-databases would also check {system} on each host; the baseline names the "
          "site databases instead, so neither side checks them")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hosts", type=int, default=4)
    ap.add_argument("--sites", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--cap-cores", type=float, default=None,
                    help="capped mode: CPUs' worth of time per host (0: shared mode only; "
                         "default: (cores - 1) / hosts, one core kept for the cockpit)")
    ap.add_argument("--rows-scale", type=float, default=1.0,
                    help="rows per table relative to the lab schema (1.0: a few thousand rows per site)")
    ap.add_argument("--no-save", action="store_true", help="do not write bench/results/tables-*.json")
    ap.add_argument("--lab", type=Path, help="use this lab, up already with the same --hosts/--sites (kept)")
    ap.add_argument("--keep-lab", type=Path, help="build the lab in this dir and leave it up (for --lab later)")
    args = ap.parse_args()
    if args.cap_cores is None:
        args.cap_cores = round(max(0.1, ((os.cpu_count() or 2) - 1) / args.hosts), 3)
    interrupt_on_sigterm()  # through the finally clauses: quotas undone, the lab removed

    per_host = args.sites // args.hosts
    sites = {f"web{h}": [f"site{h}x{i:03d}" for i in range(per_host)] for h in range(1, args.hosts + 1)}
    spec = FleetSpec(tuple(
        HostSpec(host, services=(Sshd(), MariaDB(sites=tuple(dbs), extra_tables=8, rows_scale=args.rows_scale)))
        for host, dbs in sites.items()))
    own = args.lab is None
    lab = Lab(args.lab or args.keep_lab or Path(tempfile.mkdtemp(prefix="cockpit-bench-tables-", dir="/tmp")))
    total = sum(len(v) for v in sites.values()) * 20
    bench = Bench(lab, sites, total)
    modes: list[Mode] = []
    try:
        if own:
            print(f"building a lab of {args.hosts} hosts, {args.sites} sites, {total} tables in {lab.dir} ...",
                  flush=True)
            print(f"lab up in {lab.up(spec, echo=lambda m: None):.1f} s", flush=True)
        fair = bench.fairness()
        modes.append(bench.run_mode(Mode("shared", how="the hosts share this machine's cores with the cockpit "
                                                        "(not the target's setting: see the docstring)"), args.rounds))
        if args.cap_cores > 0:
            with host_quotas(lab, args.cap_cores) as how:
                modes.append(bench.run_mode(Mode("capped", how=f"each host capped at {args.cap_cores:g} CPU "
                                                               f"({how}); the cockpit and the clients are not"),
                                            args.rounds))
    finally:
        bench.names_file.unlink(missing_ok=True)
        if own and args.keep_lab is None:
            lab.down(echo=lambda m: None)
    print(f"\ntables checked: {total} over {args.hosts} hosts, {args.rounds} rounds per mode")
    print_fairness(fair)
    for mode in modes:
        report(mode, args.hosts)
    if not args.no_save:
        save(args, total, fair, modes)
    return 0


def save(args: argparse.Namespace, total: int, fair: dict[str, object], modes: list[Mode]) -> None:
    at = datetime.now(UTC)
    shared = modes[0].summary()
    result = {
        "at": at.strftime("%Y-%m-%dT%H:%M:%SZ"), "hosts": args.hosts, "sites": args.sites, "tables": total,
        "rounds": args.rounds, "target_ratio": 2.0, "fairness": fair,
        # the shared mode under the keys earlier results used
        "load_average_before": modes[0].load[0], "load_average_after": modes[0].load[-1],
        "seconds": shared["seconds"], "median_s": shared["median_s"], "ratio_check": shared["ratio_check"],
        "ratio_status": shared["ratio_status"], "peak_rss_mb": shared["peak_rss_mb"],
        "modes": {m.name: m.summary() for m in modes}, "cap_cores": args.cap_cores, "commit": STARTED_ON,
    }
    path = HERE / "results" / f"tables-{at.strftime('%Y%m%dT%H%M%S')}.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(result, indent=1) + "\n")
    print(f"\nwritten to {path.relative_to(HERE.parent)}")


if __name__ == "__main__":
    raise SystemExit(main())
