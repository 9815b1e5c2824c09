"""Follow the incident timeline (observed events and audited actions) from a screen.

The engine's :class:`cockpit.timeline.history.History` reads files, so each
read runs in a worker thread. A timer owned by the screen starts one short
read per tick (never two at once), so it all ends with the screen and no
worker is left running between reads. Reads are incremental: asking often is cheap.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.widget import Widget
from textual.worker import Worker

from cockpit.engine.engine import Engine
from cockpit.timeline.event import Event
from cockpit.timeline.history import History


class HistoryFeed:
    def __init__(self, engine: Engine, deliver: Callable[[list[Event]], None]) -> None:
        self._engine = engine
        self._deliver = deliver
        self._node: Widget | None = None
        self._worker: Worker[None] | None = None
        self.history: History | None = None
        self.loads = 0  # reads delivered so far (tests wait on it)

    def start(self, node: Widget, interval: float) -> None:
        """Read now, then every ``interval`` seconds, while ``node`` lives."""
        self._node = node
        self.read_now()
        node.set_interval(interval, self.read_now, name="timeline feed")

    def read_now(self) -> None:
        if self._node is None or (self._worker is not None and not self._worker.is_finished):
            return
        self._worker = self._node.run_worker(self._read_once(), name="timeline", group="timeline-feed",
                                             description="reading the timeline", exit_on_error=False)

    async def _read_once(self) -> None:
        events = await asyncio.to_thread(self._read)
        self.loads += 1
        self._deliver(events)

    def _read(self) -> list[Event]:
        if self.history is None:
            self.history = History.for_inventory(self._engine.inventory, self._engine.timeline)
        return self.history.entries()
