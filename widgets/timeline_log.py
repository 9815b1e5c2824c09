"""The live timeline: a log that grows as events arrive, oldest first.

:meth:`TimelineLog.show` takes the whole list each time and appends only what
is new; if the list changed otherwise (the file was replaced), it starts over.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import RichLog

from cockpit.timeline.event import Event
from widgets.timeline_text import day_text, event_text


def _key(e: Event) -> tuple[object, ...]:
    return (e.at, e.kind, e.subject, e.summary, e.by)


class TimelineLog(RichLog):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, wrap=True, markup=False, highlight=False, auto_scroll=True, min_width=40)
        self._shown: list[tuple[object, ...]] = []
        self._day: object = None
        self._placeholder = False

    @property
    def shown_count(self) -> int:
        return len(self._shown)

    def show(self, events: Sequence[Event]) -> None:
        keys = [_key(e) for e in events]
        if not self._shown or keys[: len(self._shown)] != self._shown:  # start over
            if not keys and self._placeholder:
                return
            self.clear()
            self._shown, self._day, self._placeholder = [], None, not keys
            if not keys:
                self.write(Text("No events yet. State changes the cockpit sees, and actions, appear here.",
                                style="dim", end=""))
                return
        for e in events[len(self._shown):]:
            if e.at.date() != self._day:
                self._day = e.at.date()
                self.write(day_text(e))
            self.write(event_text(e))
        self._shown = keys
