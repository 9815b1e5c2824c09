"""Small helpers for the table checker's lab tests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from cockpit.lab import Lab

SAFETY = 60.0  # a safety net only: nothing asserts how fast things happen


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = SAFETY) -> bool:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        if await check():
            return True
        if loop.time() > deadline:
            return False
        await asyncio.sleep(0.05)


async def host_out(lab: Lab, host: str, argv: list[str]) -> str:
    p = await asyncio.to_thread(lab.exec, host, argv)
    return p.stdout.decode(errors="replace")
