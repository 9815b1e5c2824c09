"""The floor for sweeping a big fleet: plain asyncssh, no parsing, no state.

Connects to every host of an inventory (at most ``--connect-cap`` at once, as
cockpit does: more only makes each connect slower on a loaded machine), then
times ``--sweeps`` fan-outs of the disk probe's exact command over the open
connections (at most ``--cap`` in flight, cockpit's default), and as many of
``true`` (the cost of any ssh exec at all). Prints one JSON object.
``bench/scale_1000.py`` runs it against cockpit in the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
import tomllib
from collections.abc import Sequence
from typing import Any

import asyncssh

from cockpit.disk.command import build_command, new_nonce


async def sweep(conns: Sequence[asyncssh.SSHClientConnection], command: str, cap: int) -> tuple[float, int]:
    slots = asyncio.Semaphore(cap)

    async def one(conn: asyncssh.SSHClientConnection) -> int:
        async with slots:
            r = await conn.run(command, encoding=None)
            return len(r.stdout or b"")

    start = time.perf_counter()
    results = await asyncio.gather(*(one(c) for c in conns), return_exceptions=True)
    return time.perf_counter() - start, sum(1 for r in results if isinstance(r, BaseException))


async def main(inv: dict[str, Any], sweeps: int, cap: int, connect_cap: int) -> dict[str, Any]:
    d = inv["defaults"]
    known, keys = asyncssh.read_known_hosts(d["known_hosts"]), asyncssh.load_keypairs(d["identity_file"])
    slots = asyncio.Semaphore(connect_cap)

    async def connect(h: dict[str, str]) -> asyncssh.SSHClientConnection:
        async with slots:
            return await asyncssh.connect(h["address"], username=d["ssh_user"], client_keys=keys,
                                          known_hosts=known, config=[], connect_timeout=60)

    start = time.perf_counter()
    made = await asyncio.gather(*(connect(h) for h in inv["hosts"]), return_exceptions=True)
    connect_s = time.perf_counter() - start
    conns = [c for c in made if isinstance(c, asyncssh.SSHClientConnection)]
    out: dict[str, Any] = {"hosts": len(inv["hosts"]), "connected": len(conns), "connect_s": connect_s,
                           "probe_sweeps_s": [], "true_sweeps_s": [], "failures": 0}
    for _ in range(sweeps):
        took, failed = await sweep(conns, build_command(new_nonce()), cap)
        out["probe_sweeps_s"].append(took)
        took_true, failed_true = await sweep(conns, "true", cap)
        out["true_sweeps_s"].append(took_true)
        out["failures"] += failed + failed_true
    for c in conns:
        c.close()
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("inventory")
    ap.add_argument("--sweeps", type=int, default=3)
    ap.add_argument("--cap", type=int, default=64)
    ap.add_argument("--connect-cap", type=int, default=32)
    a = ap.parse_args()
    with open(a.inventory, "rb") as f:
        print(json.dumps(asyncio.run(main(tomllib.load(f), a.sweeps, a.cap, a.connect_cap))))
