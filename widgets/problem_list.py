"""The wallboard's list: the fleet's worst problems first, one line each,
with how long each has lasted (from the incident timeline) when that is known."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

import humanize
from rich.text import Text
from textual.widgets import Static

from cockpit.problems import Problem
from cockpit.severity import Severity
from widgets import quiet_update
from widgets.host_text import host_text
from widgets.severity_style import SEVERITY

PANE_TITLES = {"disks": "Disks", "sites": "Tables", "transfers": "Imports", "dns": "DNS"}
SMALL_LIMIT, BIG_LIMIT = 5, 10  # lines (the screen sets -big in large terminals)
Since = Callable[[str], datetime | None]


def problem_text(p: Problem, since: datetime | None, now: datetime) -> Text:
    look = SEVERITY[p.severity]
    text = Text(end="", no_wrap=True, overflow="ellipsis")
    text.append(f"{look.symbol} {look.label:<7} ", style=look.style)
    text.append(f"{PANE_TITLES.get(p.pane, p.pane):<7} ", style="dim")
    text.append_text(host_text(p.subject, style="bold"))
    if since is not None:
        text.append(f"  {since.strftime('%H:%M')}, {humanize.naturaldelta(now - since)}", style="dim")
    text.append("  ")
    text.append_text(host_text(p.what))
    return text


def problems_text(problems: Sequence[Problem], since: Since, now: datetime, limit: int) -> Text:
    if not problems:
        return Text("✓ No problems: every host answers and every check is OK.",
                    style=SEVERITY[Severity.OK].style, end="")
    shown = problems[: max(1, limit if len(problems) <= limit else limit - 1)]
    lines = [problem_text(p, since(p.fact) if p.fact else None, now) for p in shown]
    if len(shown) < len(problems):
        lines.append(Text(f"… and {len(problems) - len(shown)} more (worst shown first)", style="dim", end=""))
    return Text("\n", end="", no_wrap=True, overflow="ellipsis").join(lines)


class ProblemList(Static):
    def __init__(self) -> None:
        super().__init__(id="wall-problems")
        self.border_title = "Worst problems first"
        self._last: tuple[Sequence[Problem], Since, datetime] | None = None

    def show(self, problems: Sequence[Problem], since: Since, now: datetime) -> None:
        self._last = (problems, since, now)
        self._render_list()

    def on_resize(self) -> None:
        self._render_list()

    def _render_list(self) -> None:
        if self._last is None:
            return
        problems, since, now = self._last
        limit = BIG_LIMIT if self.screen.has_class("-big") else SMALL_LIMIT
        quiet_update.show(self, problems_text(problems, since, now, limit))
