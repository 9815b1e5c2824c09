"""The demo's side panel: the outage's timeline as it is played (the
scenario's phases) and the engineer's actions, newest last, so an audience can
follow what broke and what was done. Reads the incident history (the
engine's timeline merged with the audit log, where actions are recorded) in a
worker thread every 2 s (the files may be appended by another process).

Where the screen has room for the side panel next to a whole 80-column
dashboard (``SIDE_MIN_WIDTH``) it is docked on the right; on smaller screens
(80×24) it collapses to a one-line ticker between the panes and the footer with the newest
step only, so the panes keep every column (the whole story is on the timeline,
``t``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.screen import Screen
from textual.widgets import Static

from cockpit.demo.story import RECOVERED
from cockpit.timeline.event import Event
from widgets.host_text import host_text

if TYPE_CHECKING:
    from cockpit.timeline.history import History

SCENARIO = "scenario"
SHOWN = 14
STEP_KINDS = frozenset({"action-step", "action-verify"})  # too fine for an audience
SIDE_WIDTH = 42
SIDE_MIN_WIDTH = 80 + SIDE_WIDTH
WAITING = "waiting for the outage…"


def story_events(events: list[Event]) -> list[Event]:
    """The events the story tells, oldest first: every phase of the scenario, and the newest of what the
    engineer did (each action's start and end; its steps and checks are on the timeline, ``t``)."""
    phases = [e for e in events if e.source == SCENARIO]
    actions = [e for e in events if e.source == "action" and e.kind not in STEP_KINDS]
    room = max(SHOWN - len(phases), 0)
    return sorted(phases + (actions[-room:] if room else []), key=lambda e: e.at)


def _event_text(e: Event, limit: int) -> Text:
    text = Text(end="")
    text.append(e.at.strftime("%H:%M:%S"), style="dim")
    if e.kind == RECOVERED:
        text.append(" ✓ ", style="bold green")
    else:
        text.append(" ⚡ " if e.source == SCENARIO else " ▶ ", style="bold red" if e.source == SCENARIO else "bold")
    text.append_text(host_text(e.summary, limit=limit))
    return text


def story_lines(events: list[Event]) -> Text:
    """The side panel: every picked event, one paragraph each."""
    picked = story_events(events)
    if not picked:
        return Text(WAITING, style="dim", end="")
    return Text("\n", end="").join(_event_text(e, 160) for e in picked)


def ticker_line(events: list[Event]) -> Text:
    """The one-line ticker: the newest step only (the widget cuts it at the screen's width)."""
    picked = story_events(events)
    text = Text("Demo ", style="bold", end="")
    text.append_text(_event_text(picked[-1], 160) if picked else Text(WAITING, style="dim"))
    return text


class DemoStory(Static):
    DEFAULT_CSS = f"""
    DemoStory {{ dock: right; width: {SIDE_WIDTH}; height: 1fr; border: round $accent; padding: 0 1; }}
    DemoStory.-ticker {{
        /* in the flow: below the panes, above the footer */
        dock: none; width: 1fr; height: 1; border: none; padding: 0 1;
        background: $accent 30%; text-wrap: nowrap; text-overflow: ellipsis;
    }}
    """

    def __init__(self, history: History) -> None:
        super().__init__(Text(WAITING, style="dim", end=""), id="demo-story")
        self.history = history
        self.border_title = "Demo: the outage"
        self._events: list[Event] = []

    @property
    def events(self) -> list[Event]:
        """The events shown now, oldest first."""
        return list(self._events)

    @property
    def ticker(self) -> bool:
        return self.has_class("-ticker")

    def on_mount(self) -> None:
        screen = self.screen
        self._fit(screen)
        screen.screen_layout_refresh_signal.subscribe(self, self._fit)
        self.set_interval(2.0, self._refresh_story)
        self._refresh_story()

    def _fit(self, screen: Screen[object]) -> None:
        ticker = screen.size.width < SIDE_MIN_WIDTH
        if ticker != self.ticker:
            self.set_class(ticker, "-ticker")
            self._show()

    def _refresh_story(self) -> None:
        self.run_worker(self._read, thread=True, exclusive=True, group="demo-story")

    def _read(self) -> None:
        events = story_events(self.history.entries())
        self.app.call_from_thread(self.show_events, events)

    def show_events(self, events: list[Event]) -> None:
        self._events = events
        self._show()

    def _show(self) -> None:
        self.update(ticker_line(self._events) if self.ticker else story_lines(self._events))
