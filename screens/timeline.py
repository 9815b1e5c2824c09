"""The incident timeline, live (key ``t``): what the engine observed and what
was done, oldest first, with evidence. The same as ``cockpit timeline``.

The screen reads through the engine's :class:`cockpit.timeline.history.History`
in a worker thread (files are the engine's business, not the UI's), again every
couple of seconds while it is open; only new events are appended.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Static

from cockpit.engine.engine import Engine
from cockpit.timeline.event import Event
from cockpit.timeline.history import History
from widgets.bindings import AppChecksActions
from widgets.timeline_log import TimelineLog

REFRESH_SECONDS = 2.0


class TimelineScreen(AppChecksActions, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self._engine = engine
        self._history: History | None = None
        self.loads = 0  # how many times the events were read (tests wait on it)

    def compose(self) -> ComposeResult:
        yield Static("Incident timeline (live)", classes="screen-title")
        yield Static(id="timeline-sources")
        yield TimelineLog(id="timeline-log")
        yield Footer()

    def on_mount(self) -> None:
        self.run_worker(self._follow(), name="timeline", group="timeline-view", exclusive=True,
                        description="the timeline view", exit_on_error=False)

    async def _follow(self) -> None:
        while True:
            events = await asyncio.to_thread(self._read)
            self.show(events)
            await asyncio.sleep(REFRESH_SECONDS)

    def _read(self) -> list[Event]:
        if self._history is None:
            self._history = History.for_inventory(self._engine.inventory, self._engine.timeline)
        return self._history.entries()

    def show(self, events: Sequence[Event]) -> None:
        self.loads += 1
        self.query_one(TimelineLog).show(events)
        about = Text(f"{len(events)} event{'s' if len(events) != 1 else ''}, times in UTC · "
                     "`cockpit timeline --markdown` prints them for a post-mortem", end="")
        history = self._history
        for problem in history.errors if history is not None else []:
            about.append(f"\n✗ {problem}", style="bold")
        self.query_one("#timeline-sources", Static).update(about)
