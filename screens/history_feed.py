"""Follow the incident timeline (observed events and audited actions) from a screen.

The engine's :class:`cockpit.timeline.history.History` reads files, so it runs
in a worker thread; the loop lives in a worker of the screen that uses it, so
it ends with the screen. Reads are incremental: asking often is cheap.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.dom import DOMNode

from cockpit.engine.engine import Engine
from cockpit.timeline.event import Event
from cockpit.timeline.history import History


class HistoryFeed:
    def __init__(self, engine: Engine, deliver: Callable[[list[Event]], None]) -> None:
        self._engine = engine
        self._deliver = deliver
        self.history: History | None = None
        self.loads = 0  # reads delivered so far (tests wait on it)

    def start(self, node: DOMNode, interval: Callable[[], float]) -> None:
        """Read now, then every ``interval()`` seconds, while ``node`` lives."""
        node.run_worker(self._follow(interval), name="timeline", group="timeline-feed", exclusive=True,
                        description="reading the timeline", exit_on_error=False)

    async def _follow(self, interval: Callable[[], float]) -> None:
        while True:
            events = await asyncio.to_thread(self._read)
            self.loads += 1
            self._deliver(events)
            await asyncio.sleep(interval())

    def _read(self) -> list[Event]:
        if self.history is None:
            self.history = History.for_inventory(self._engine.inventory, self._engine.timeline)
        return self.history.entries()
