"""asyncssh helpers for the lab tests: host keys are always verified."""

from __future__ import annotations

import asyncio

import asyncssh

from cockpit.lab import Lab

SAFETY = 30.0  # a safety net only: nothing asserts how fast things happen


async def connect(lab: Lab, host: str, timeout: float = SAFETY,
                  known_hosts: str | None = None) -> asyncssh.SSHClientConnection:
    addr = lab.state.host(host).address
    return await asyncio.wait_for(
        asyncssh.connect(addr, username="root", client_keys=[str(lab.identity_file)],
                         known_hosts=known_hosts or str(lab.known_hosts_path), config=[]),
        timeout)


async def run(lab: Lab, host: str, command: str, timeout: float = SAFETY) -> asyncssh.SSHCompletedProcess:
    async with await connect(lab, host, timeout) as conn:
        return await asyncio.wait_for(conn.run(command), timeout)


async def out(lab: Lab, host: str, command: str) -> str:
    r = await run(lab, host, command)
    return str(r.stdout)


async def eventually(check, timeout: float = SAFETY, interval: float = 0.1):  # type: ignore[no-untyped-def]
    """Poll an async check until it returns a truthy value (safety net: timeout)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        value = await check()
        if value or loop.time() > deadline:
            return value
        await asyncio.sleep(interval)
