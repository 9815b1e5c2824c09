"""The header: fleet summary, time since the last sweep, sweep indicator, READ-ONLY badge.

Two lines, each kept to one line (ellipsis, never wrapped), so the header's
height is fixed at 80×24:

    6 hosts: ✓ 4 up  ✗ 1 unreachable  ✗ 1 untrusted
    ✗ 3 critical  ▲ 1 warning │ swept 3 seconds ago (02:59:57 UTC)
"""

from __future__ import annotations

from datetime import datetime

import humanize
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from cockpit import clock
from cockpit.engine.hoststate import Reach
from cockpit.engine.summary import FleetSummary
from cockpit.severity import Severity
from widgets import quiet_update
from widgets.severity_style import REACH, SEVERITY, Look


def hosts_text(s: FleetSummary) -> Text:
    """``6 hosts: ✓ 4 up  ✗ 1 unreachable`` (zero counts other than "up" left out)."""
    reach = [(REACH[Reach.UP], s.up, "up")] + [
        (REACH[r], n, r.value) for r, n in ((Reach.UNREACHABLE, s.unreachable), (Reach.UNTRUSTED, s.untrusted),
                                            (Reach.ERROR, s.error), (Reach.PENDING, s.pending)) if n]
    return _counts(Text(f"{s.total} host{'' if s.total == 1 else 's'}: ", style="bold", end=""), reach)


def findings_text(s: FleetSummary) -> Text:
    """``✗ 3 critical  ▲ 1 warning``."""
    return _counts(Text(end=""), [(SEVERITY[Severity.CRITICAL], s.critical, "critical"),
                                  (SEVERITY[Severity.WARNING], s.warning, "warning")])


def _counts(text: Text, items: list[tuple[Look, int, str]]) -> Text:
    for i, (look, n, word) in enumerate(items):
        if i:
            text.append("  ")
        text.append(f"{look.symbol} {n} {word}", style=look.style if n else "")
    return text


def sweep_text(last: datetime | None, sweeping: bool, now: datetime) -> Text:
    """``swept 3 seconds ago (02:59:57 UTC)``; ``⟳ sweeping… last 3 seconds ago`` while one runs."""
    if sweeping:
        text = Text("⟳ sweeping…", style="bold", end="")
        if last is not None:
            text.append(f" last {humanize.naturaltime(last, when=now)}", style="")
        return text
    if last is None:
        return Text("not swept yet", style="dim", end="")
    return Text(f"swept {humanize.naturaltime(last, when=now)} ({last.strftime('%H:%M:%S %Z')})", end="")


class FleetHeader(Horizontal):
    def __init__(self, *, read_only: bool, read_only_reason: str) -> None:
        super().__init__(id="fleet-header")
        self._read_only, self._reason = read_only, read_only_reason
        self._findings = Text(end="")
        self._last: datetime | None = None
        self._sweeping = False

    def compose(self) -> ComposeResult:
        with Vertical(id="fleet-lines"):
            yield Static(id="fleet-summary")
            yield Static(id="fleet-sweep")
        if self._read_only:
            yield Static(Text(f"READ-ONLY\n{self._reason}", end=""), id="read-only-badge")

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)
        self._tick()

    def show_summary(self, summary: FleetSummary, last_sweep: datetime | None) -> None:
        quiet_update.show(self.query_one("#fleet-summary", Static), hosts_text(summary), fixed=True)
        self._findings = findings_text(summary)
        self._last = last_sweep
        self._tick()

    def show_sweeping(self, sweeping: bool) -> None:
        self._sweeping = sweeping
        self._tick()

    def _tick(self) -> None:  # every second: keep "swept 3 seconds ago" true
        line = self._findings.copy()
        line.append(" │ ", style="dim").append_text(sweep_text(self._last, self._sweeping, clock.now()))
        quiet_update.show(self.query_one("#fleet-sweep", Static), line, fixed=True)  # one line, always
