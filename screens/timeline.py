"""The incident timeline, live (key ``t``): what the engine observed and what
was done, oldest first, with evidence. The same as ``cockpit timeline``.

The screen follows the engine's timeline through :class:`screens.history_feed.HistoryFeed`
(a worker thread: files are the engine's business, not the UI's), again every
couple of seconds while it is open; only new events are appended.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from cockpit.engine.engine import Engine
from cockpit.timeline.event import Event
from screens.history_feed import HistoryFeed
from widgets.bindings import AppChecksActions
from widgets.footer import Footer
from widgets.timeline_log import TimelineLog

REFRESH_SECONDS = 2.0


class TimelineScreen(AppChecksActions, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, engine: Engine) -> None:
        super().__init__()
        self._feed = HistoryFeed(engine, self.show)
        self.loads = 0  # how many times the events were read (tests wait on it)

    def compose(self) -> ComposeResult:
        yield Static("Incident timeline (live)", classes="screen-title")
        yield Static(id="timeline-sources")
        yield TimelineLog(id="timeline-log")
        yield Footer()

    def on_mount(self) -> None:
        self._feed.start(self, REFRESH_SECONDS)

    def show(self, events: Sequence[Event]) -> None:
        self.loads += 1
        self.query_one(TimelineLog).show(events)
        about = Text(f"{len(events)} event{'s' if len(events) != 1 else ''}, times in UTC · "
                     "`cockpit timeline --markdown` prints them for a post-mortem", end="")
        history = self._feed.history
        if history is not None and history.timeline.forgotten:
            n = history.timeline.forgotten
            about.append(f"\nonly the latest observed events are kept in memory ({n:,} older "
                         f"{'one is' if n == 1 else 'ones are'} in the files: `cockpit timeline` reads them all)")
        for problem in history.errors if history is not None else []:
            about.append(f"\n✗ {problem}", style="bold")
        self.query_one("#timeline-sources", Static).update(about)
