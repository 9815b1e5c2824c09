"""The wallboard's counts: problems by severity and hosts down/up.

In large terminals each count is drawn in big digits (textual ``Digits``);
in small ones the same counts are one line. The screen chooses with the
``-big`` class. Every count carries a word, so NO_COLOR loses nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits, Static

from cockpit.engine.summary import FleetSummary
from cockpit.problems import Problem
from cockpit.severity import Severity
from widgets import quiet_update
from widgets.severity_style import SEVERITY


@dataclass(frozen=True)
class Count:
    id: str
    value: int
    label: str
    severity: Severity  # how it looks when non-zero


def counts(problems: Sequence[Problem], fleet: FleetSummary) -> list[Count]:
    down = fleet.unreachable + fleet.untrusted + fleet.error
    return [
        Count("critical", sum(p.severity is Severity.CRITICAL for p in problems), "CRITICAL", Severity.CRITICAL),
        Count("warning", sum(p.severity in (Severity.WARNING, Severity.UNKNOWN) for p in problems),
              "WARNING / UNKNOWN", Severity.WARNING),
        Count("down", down, "HOSTS DOWN", Severity.CRITICAL),
        Count("up", fleet.up, f"HOSTS UP (of {fleet.total})", Severity.OK),
    ]


def _look(c: Count) -> tuple[str, str]:
    sev = c.severity if c.value or c.severity is Severity.OK else Severity.OK
    look = SEVERITY[sev]
    return look.symbol, look.style


def line_text(cs: Sequence[Count]) -> Text:
    """The small-terminal form: the problem counts (the header above already counts hosts)."""
    text = Text("Problems: ", style="bold", end="")
    for i, c in enumerate(c for c in cs if c.id in ("critical", "warning")):
        if i:
            text.append("   ")
        symbol, style = _look(c)
        text.append(f"{symbol} {c.value} {c.label.lower()}", style=style if c.value else "")
    return text


class WallSummary(Vertical):
    def compose(self) -> ComposeResult:
        yield Static(id="wall-counts-line")
        with Horizontal(id="wall-counts-big"):
            for cid in ("critical", "warning", "down", "up"):
                with Vertical(classes="wall-count", id=f"wall-count-{cid}"):
                    yield Digits("0")
                    yield Static(classes="wall-count-label")

    def show(self, cs: Sequence[Count]) -> None:
        quiet_update.show(self.query_one("#wall-counts-line", Static), line_text(cs))
        for c in cs:
            box = self.query_one(f"#wall-count-{c.id}", Vertical)
            symbol, style = _look(c)
            quiet_update.show_digits(box.query_one(Digits), str(c.value))
            box.set_class(c.value > 0 and c.severity is not Severity.OK, "-bad")
            label = Text(f"{symbol} {c.label}", style=style, end="")
            quiet_update.show(box.query_one(".wall-count-label", Static), label)
