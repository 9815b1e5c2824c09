"""Time limits that charge the server's time, not the cockpit's own stalls.

"No answer within 5 s" blames the server. But when the cockpit's own event loop
stalls (a long TUI frame, a process starved on a loaded machine), an answer that
came in time sits unread, and a plain ``asyncio.timeout`` fires in the same loop
turn that reads it: the server is reported hung although it answered at once.
A 20-site demo under load showed every web1 site "no answer" for minutes in the
long-lived cockpit (its loop stalled 2-10 s at a time) while a fresh
``status --json`` read the same servers in 0.1 s.

:class:`Patience` is ``asyncio.timeout(limit)`` whose clock is charged in steps
of at most :data:`STEP`: a step the loop woke up late for is charged only what
was asked (plus :data:`LATE`), so the limit runs out after ``limit`` seconds in
which the cockpit was there to read an answer. Wall time is still capped at
``limit * cap``: a hung server is given up on even by a cockpit that stalls all
the time. A body that ends within :data:`STEP` costs one timer, as a plain
timeout does.
"""

from __future__ import annotations

import asyncio
from types import TracebackType

STEP = 0.25  # seconds between checks of the clock
LATE = 0.05  # a wake-up later than this was a stall of the cockpit's own
WALL_CAP = 3.0  # at most this many times the limit in wall time


class Patience:
    """``async with Patience(limit):`` raises TimeoutError (as ``asyncio.timeout``) once the
    body has had ``limit`` seconds of the cockpit's attention (or ``limit * cap`` of wall time)."""

    def __init__(self, limit: float, *, cap: float = WALL_CAP):
        self.limit, self.cap = limit, cap
        self.charged = 0.0  # seconds counted against the limit so far
        self.stalled = 0.0  # seconds the cockpit's own loop was late (not charged)
        self._timeout = asyncio.timeout(None)
        self._handle: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._start = self._last = self._asked = 0.0

    async def __aenter__(self) -> Patience:
        await self._timeout.__aenter__()
        self._loop = asyncio.get_running_loop()
        self._start = self._last = self._loop.time()
        self._arm()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        await self._timeout.__aexit__(exc_type, exc, tb)  # raises TimeoutError if it expired

    def expired(self) -> bool:
        return self._timeout.expired()

    def _arm(self) -> None:
        assert self._loop is not None
        self._asked = min(STEP, self.limit - self.charged)
        self._handle = self._loop.call_later(self._asked, self._tick)

    def _tick(self) -> None:
        assert self._loop is not None
        now = self._loop.time()
        self.charged += min(now - self._last, self._asked + LATE)
        self.stalled += max(0.0, now - self._last - self._asked - LATE)
        self._last = now
        if self.charged >= self.limit - 1e-6 or now - self._start >= self.limit * self.cap:
            self._handle = None
            # expires after what is ready to run now (answers read in this turn get their turn first)
            self._timeout.reschedule(now)
        else:
            self._arm()
