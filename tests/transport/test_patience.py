"""Patience: a time limit that charges the server's time, not the cockpit's own stalls.

The stalls here are real: the test blocks its own event loop (``time.sleep`` in
a callback), as a long TUI frame or a starved process does. Nothing asserts how
long anything took.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from cockpit.transport.patience import STEP, Patience


async def answer_after(delay: float) -> str:
    await asyncio.sleep(delay)  # a server that answers in time
    return "answer"


async def test_an_answer_that_came_during_a_stall_of_our_own_is_read() -> None:
    asyncio.get_running_loop().call_soon(time.sleep, 0.8)  # the cockpit is busy for longer than the limit
    async with Patience(0.5):
        assert await answer_after(0.05) == "answer"


async def test_a_plain_timeout_blames_the_server_for_the_same_stall() -> None:
    """Why Patience exists: asyncio's timeout fires in the loop turn that reads the answer."""
    asyncio.get_running_loop().call_soon(time.sleep, 0.8)
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.5):
            await answer_after(0.05)


async def test_a_server_that_never_answers_runs_out_the_limit() -> None:
    p = Patience(0.3)
    with pytest.raises(TimeoutError):
        async with p:
            await asyncio.sleep(3600)
    assert p.expired() and p.charged >= 0.3


async def test_a_cockpit_that_stalls_all_the_time_still_gives_up_on_a_hung_server() -> None:
    loop = asyncio.get_running_loop()
    handle: asyncio.Handle | None = None

    def stall() -> None:  # every step of the clock is late by far more than it asked
        nonlocal handle
        time.sleep(4 * STEP)
        handle = loop.call_later(0.001, stall)

    handle = loop.call_soon(stall)
    p = Patience(1.0, cap=2.0)
    try:
        with pytest.raises(TimeoutError):
            async with p:
                await asyncio.sleep(3600)
    finally:
        handle.cancel()
    assert p.charged < 1.0  # it was the wall-time cap, not the server's time, that ran out
    assert p.stalled > 1.0  # and the stalls were ours


async def test_a_body_that_ends_in_time_leaves_nothing_behind() -> None:
    async with Patience(5.0) as p:
        assert await answer_after(0.01) == "answer"
    await asyncio.sleep(2 * STEP)  # no tick fires after the body: it would cancel whatever runs next
    assert not p.expired()


async def test_an_error_inside_is_not_turned_into_a_timeout() -> None:
    with pytest.raises(ConnectionResetError):
        async with Patience(5.0):
            raise ConnectionResetError("the server went away")
