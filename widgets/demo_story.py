"""The demo's side panel: the outage's timeline as it is played (the
scenario's phases) and the engineer's actions, newest last, so an audience can
follow what broke and what was done. Reads the engine's timeline in a worker
thread every 2 s (the file may be appended by another process)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from cockpit.timeline.event import Event
from widgets.host_text import host_text

if TYPE_CHECKING:
    from cockpit.timeline import Timeline

SCENARIO = "scenario"
SHOWN = 14


def story_lines(events: list[Event]) -> Text:
    text = Text(end="")
    picked = [e for e in events if e.source in (SCENARIO, "action")][-SHOWN:]
    if not picked:
        text.append("waiting for the outage…", style="dim")
    for e in picked:
        if text:
            text.append("\n")
        text.append(e.at.strftime("%H:%M:%S"), style="dim")
        text.append(" ⚡ " if e.source == SCENARIO else " ▶ ", style="bold red" if e.source == SCENARIO else "bold")
        text.append_text(host_text(e.summary, limit=160))
    return text


class DemoStory(Static):
    DEFAULT_CSS = """
    DemoStory { dock: right; width: 42; height: 1fr; border: round $accent; padding: 0 1; }
    """

    def __init__(self, timeline: Timeline) -> None:
        super().__init__(Text("waiting for the outage…", style="dim", end=""), id="demo-story")
        self.timeline = timeline
        self.border_title = "Demo: the outage"

    def on_mount(self) -> None:
        self.set_interval(2.0, self._refresh_story)
        self._refresh_story()

    def _refresh_story(self) -> None:
        self.run_worker(self._read, thread=True, exclusive=True, group="demo-story")

    def _read(self) -> None:
        text = story_lines(self.timeline.events())
        self.app.call_from_thread(self.update, text)
