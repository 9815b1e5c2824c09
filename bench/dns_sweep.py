"""Benchmark: a full DNS propagation sweep of 1,000 site names on 6 servers
(ns1 primary, ns2, ns3, resolvers res1..res3, all real BIND in the lab), by
the cockpit's engine against, in the same run:

* the floor: a minimal dnspython asyncio fan-out (``bench/dns_floor.py``);
* ``dig`` run once per name and server, one after another (what people
  script today). It is slow, so by default it runs on a sample of names and
  is scaled to all of them (said so in the output; ``--dig-sample 0``: all).

Prints both ratios, and peak RSS of each child. Target (issue #4): the
cockpit within 1.5x of the floor.

    .venv/bin/python bench/dns_sweep.py [--sites 1000] [--rounds 5] [--dig-sample 100]

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

from benchenv import peak_rss_kib, rss_wrapped, save

from cockpit.inventory import load_inventory
from cockpit.lab import FleetSpec, HostSpec, Lab
from cockpit.lab.dns_fleet import dns_hosts

HERE = Path(__file__).resolve().parent


def child(argv: list[str]) -> tuple[float, int, str]:
    """(seconds the child measured, its peak RSS in KiB (GNU time), the rest of its line)."""
    with tempfile.NamedTemporaryFile(prefix="cockpit-bench-rss-") as rss:
        proc = subprocess.run(rss_wrapped(argv, Path(rss.name)), capture_output=True, check=False)
        if proc.returncode != 0:
            raise SystemExit(f"{argv[1]} failed: {proc.stderr.decode(errors='replace')[-800:]}")
        took, rest = proc.stdout.decode().split(maxsplit=1)
        return float(took), peak_rss_kib(Path(rss.name)), rest.strip()


def dig_sweep(names: list[str], servers: list[tuple[str, bool]]) -> float:
    start = time.perf_counter()
    for name in names:
        for address, recursive in servers:
            subprocess.run(["dig", "+short", "+time=2", "+tries=1", "+recurse" if recursive else "+norecurse",
                            f"@{address}", name, "A"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           check=False)
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sites", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--dig-sample", type=int, default=100, help="names timed with dig (0: all)")
    args = ap.parse_args()

    sites = [{"name": f"site{i:04d}", "host": "web1" if i % 2 else "web2", "standby": "standby1"}
             for i in range(args.sites)]
    spec = FleetSpec((HostSpec("web1", mounts=(), raid=False), HostSpec("web2", mounts=(), raid=False),
                      HostSpec("standby1", role="standby", mounts=(), raid=False),
                      *dns_hosts(resolvers=3, sites=sites, ttl=3600)))
    lab = Lab(Path(tempfile.mkdtemp(prefix="cockpit-bench-dns-", dir="/tmp")))
    print(f"building a lab (6 DNS servers, a zone of {args.sites} sites) in {lab.dir} ...", flush=True)
    try:
        took = lab.up(spec, echo=lambda m: None)
        print(f"lab up in {took:.1f} s")
        path = str(lab.inventory_path)
        inv = load_inventory(path)
        assert inv.dns is not None and len(inv.sites) == args.sites
        cockpit = [sys.executable, str(HERE / "dns_cockpit_once.py"), path]
        floor = [sys.executable, str(HERE / "dns_floor.py"), path]
        child(floor)  # warm: resolvers cache every name, imports are in the page cache
        child(cockpit)
        rows: dict[str, list[tuple[float, int, str]]] = {"floor": [], "cockpit": []}
        for _ in range(args.rounds):  # interleaved, so machine noise hits both
            rows["floor"].append(child(floor))
            rows["cockpit"].append(child(cockpit))
        names = [s.hostname or f"{s.name}.{inv.dns.zone}" for s in inv.sites]
        sample = names if args.dig_sample <= 0 else names[: args.dig_sample]
        servers = [(s.address, False) for s in inv.dns.nameservers] + [(s.address, True) for s in inv.dns.resolvers]
        dig = dig_sweep(sample, servers) * len(names) / len(sample)
    finally:
        lab.down(echo=lambda m: None)

    med = {k: statistics.median(t for t, _, _ in v) for k, v in rows.items()}
    rss = {k: max(r for _, r, _ in v) for k, v in rows.items()}
    queries = args.sites * len(servers)
    print(f"\n{args.sites} names x {len(servers)} servers = {queries} queries, {args.rounds} rounds "
          "(median of the sweep itself, interpreter start and imports excluded)")
    print(f"  floor   (dnspython asyncio fan-out): {med['floor']:.3f} s   peak RSS {rss['floor'] / 1024:.0f} MiB"
          f"   answers {rows['floor'][-1][2]}")
    print(f"  cockpit (DnsMonitor.sweep + JSON):   {med['cockpit']:.3f} s   peak RSS {rss['cockpit'] / 1024:.0f} MiB"
          f"   matching {rows['cockpit'][-1][2]}")
    how = "all names" if len(sample) == len(names) else f"{len(sample)} names, scaled to {len(names)}"
    print(f"  dig once per name and server:        {dig:.1f} s   ({how})")
    print(f"  ratio cockpit/floor: {med['cockpit'] / med['floor']:.2f}x   (target <= 1.5x)")
    print(f"  ratio dig/cockpit:   {dig / med['cockpit']:.0f}x")
    saved = save("dns-sweep", {
        "sites": args.sites, "servers": len(servers), "queries": queries, "rounds": args.rounds,
        "load_average": os.getloadavg()[0], "target_ratio": 1.5,
        "seconds": {k: [t for t, _, _ in v] for k, v in rows.items()}, "median_s": med,
        "dig_s": dig, "dig_names_timed": len(sample),
        "ratio_cockpit_floor": round(med["cockpit"] / med["floor"], 3),
        "ratio_dig_cockpit": round(dig / med["cockpit"], 1),
        "peak_rss_mib": {k: round(v / 1024, 1) for k, v in rss.items()},
    })
    print(f"  saved {saved}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
