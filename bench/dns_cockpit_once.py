"""One DNS propagation sweep by the cockpit's engine (:class:`cockpit.dns.sweep.DnsMonitor`),
the same code the pane and ``status --json`` run. Prints the sweep's seconds
and how many answers match (imports and inventory reading excluded, as for the floor).

    .venv/bin/python bench/dns_cockpit_once.py INVENTORY
"""

from __future__ import annotations

import asyncio
import sys
import time

from cockpit.dns.sweep import DnsMonitor
from cockpit.dns.to_json import dns_json
from cockpit.inventory import load_inventory


def main() -> int:
    monitor = DnsMonitor(load_inventory(sys.argv[1]))
    start = time.perf_counter()
    report = asyncio.run(monitor.sweep())
    dns_json(report)  # what status --json does with it
    took = time.perf_counter() - start
    print(f"{took:.4f} {sum(a.matches for s in report.sites for a in s.answers)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
