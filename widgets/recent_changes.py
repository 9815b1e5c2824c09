"""The wallboard's latest changes: the newest timeline events, one line each
(the whole timeline, with evidence, is one key away: t)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from cockpit.timeline.event import Event
from widgets import quiet_update
from widgets.timeline_text import event_text


class RecentChanges(Static):
    def __init__(self) -> None:
        super().__init__(id="wall-recent")
        self.border_title = "Latest changes (t: the whole timeline)"

    def show(self, events: Sequence[Event]) -> None:
        if not events:
            quiet_update.show(self, Text("No changes recorded yet.", style="dim", end=""))
            return
        lines = [event_text(e, with_evidence=False) for e in reversed(events)]  # newest first
        quiet_update.show(self, Text("\n", end="").join(lines))
