"""A real pane whose monitoring arrives with a later issue. It says so plainly,
so nobody reads an empty pane as "all fine"."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from widgets.pane import Pane


class ComingLaterPane(Pane):
    can_focus = True

    def __init__(self, pane_id: str, title: str, border_title: str, *, issue: int, what: str) -> None:
        super().__init__(pane_id, title, border_title)
        self.issue, self.what = issue, what

    def compose(self) -> ComposeResult:
        text = Text(end="")
        text.append("NOT MONITORED YET", style="bold")
        text.append(f"\n\n{self.what}\n\narrives with issue #{self.issue} — not monitored yet.")
        yield Static(text, classes="coming-later")

    def headline(self) -> Text:
        return Text("– n/a", style="dim", end="")
