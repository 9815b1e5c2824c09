"""The floor for the DNS benchmark: a minimal dnspython asyncio fan-out.

Every ``[[sites]]`` name (``NAME.ZONE``) on every ``[dns]`` nameserver and
resolver, one A query each over UDP, at most ``[dns] concurrency`` at once;
nothing classified, nothing kept. Prints the sweep's seconds (imports and
inventory reading excluded, as for the cockpit child).

    .venv/bin/python bench/dns_floor.py INVENTORY
"""

from __future__ import annotations

import asyncio
import sys
import time

import dns.asyncquery
import dns.flags
import dns.message

from cockpit.inventory import load_inventory


async def sweep(names: list[str], servers: list[tuple[str, int, bool]], timeout: float, cap: int) -> int:
    limit = asyncio.Semaphore(cap)

    async def one(name: str, address: str, port: int, recursive: bool) -> int:
        q = dns.message.make_query(name, "A", use_edns=0, payload=1232)
        if not recursive:
            q.flags &= ~dns.flags.RD
        async with limit:
            try:
                await dns.asyncquery.udp(q, address, timeout=timeout, port=port)
                return 1
            except Exception:  # a failure counts as an answer not had, nothing more
                return 0

    got = await asyncio.gather(*(one(n, a, p, r) for n in names for a, p, r in servers))
    return sum(got)


def main() -> int:
    inv = load_inventory(sys.argv[1])
    assert inv.dns is not None
    names = [s.hostname or f"{s.name}.{inv.dns.zone}" for s in inv.sites]
    servers = ([(s.address, s.port, False) for s in inv.dns.nameservers]
               + [(s.address, s.port, True) for s in inv.dns.resolvers])
    start = time.perf_counter()
    ok = asyncio.run(sweep(names, servers, inv.dns.timeout, inv.dns.concurrency))
    print(f"{time.perf_counter() - start:.4f} {ok}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
