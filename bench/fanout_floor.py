"""The floor for a disk sweep: the least a program can do to get the same bytes.

Connects to every host of an inventory at once with plain asyncssh, runs the
disk probe's exact command line, reads the output, and exits. No parsing, no
state, no retries. ``bench/disk_sweep.py`` times this against
``cockpit status --json`` in the same run.
"""

from __future__ import annotations

import asyncio
import sys
import tomllib
from collections.abc import Sequence
from typing import Any

import asyncssh

from cockpit.disk.command import build_command, new_nonce


async def one(host: dict[str, str], defaults: dict[str, str], command: str, known: asyncssh.SSHKnownHosts,
              keys: Sequence[asyncssh.SSHKeyPair]) -> int:
    async with asyncssh.connect(host["address"], username=defaults["ssh_user"], client_keys=keys,
                                known_hosts=known, config=[]) as conn:
        r = await conn.run(command, encoding=None)
        return len(r.stdout or b"")


async def main(inv: dict[str, Any]) -> None:
    command = build_command(new_nonce())
    d = inv["defaults"]
    # parsed once, as cockpit does (given paths, asyncssh parses them again for every connection)
    known, keys = asyncssh.read_known_hosts(d["known_hosts"]), asyncssh.load_keypairs(d["identity_file"])
    sizes = await asyncio.gather(*(one(h, d, command, known, keys) for h in inv["hosts"]))
    print(f"{len(sizes)} hosts, {sum(sizes)} bytes")


if __name__ == "__main__":
    with open(sys.argv[1], "rb") as f:
        asyncio.run(main(tomllib.load(f)))
