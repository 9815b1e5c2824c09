"""The header: fleet summary, time since the last sweep, sweep indicator, READ-ONLY badge.

Two lines, each kept to one line (ellipsis, never wrapped), so the header's
height is fixed at 80×24:

    6 hosts: ✓ 4 up  ✗ 1 unreachable  ✗ 1 untrusted
    ✗ 3 critical  ▲ 1 warning │ swept at 02:59:57 UTC

While sweeps come on schedule (every ``refresh`` seconds, plus
:data:`SLACK`) the line names the last one's time and stands still; once the
next one is late it counts the seconds since ("swept 12 seconds ago
(02:59:57 UTC) late"). A counter that cycles 0 to 5 every sweep told nothing,
and each change of it re-rendered every widget on the screen (Textual renders
all the screen's top-level widgets for any changed line): a sixth of an idle
wallboard's CPU.
"""

from __future__ import annotations

from datetime import datetime, timedelta

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
from widgets.palette import style
from widgets.severity_style import REACH, SEVERITY, Look

SLACK = 2.0  # seconds past ``refresh`` before a sweep counts as late (timers and the sweep itself take time)
SHOW_SWEEPING_AFTER = 0.9  # seconds a scheduled sweep runs before the header says so (the next 1 s tick)


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


def sweep_text(last: datetime | None, sweeping: bool, now: datetime, refresh: float | None = None) -> Text:
    """``swept 3 seconds ago (02:59:57 UTC)``; ``⟳ sweeping… last 3 seconds ago`` while one runs.

    ``refresh``: sweeps are due every ``refresh`` seconds; while the last one is that recent (plus
    :data:`SLACK`), ``swept at 02:59:57 UTC`` and ``⟳ sweeping…``, which do not change every second."""
    on_time = last is not None and refresh is not None and now - last <= timedelta(seconds=refresh + SLACK)
    if sweeping:
        text = Text("⟳ sweeping…", style="bold", end="")
        if last is not None and not on_time:
            text.append(f" last {humanize.naturaltime(last, when=now)}", style="")
        return text
    if last is None:
        return Text("not swept yet", style="dim", end="")
    if on_time:
        return Text(f"swept at {last.strftime('%H:%M:%S %Z')}", end="")
    text = Text(f"swept {humanize.naturaltime(last, when=now)} ({last.strftime('%H:%M:%S %Z')})", end="")
    if refresh is not None:
        text.append(" late", style=style("warning"))
    return text


class FleetHeader(Horizontal):
    def __init__(self, *, read_only: bool, read_only_reason: str) -> None:
        super().__init__(id="fleet-header")
        self._read_only, self._reason = read_only, read_only_reason
        self._findings = Text(end="")
        self._last: datetime | None = None
        self._sweeping_since: datetime | None = None  # a sweep runs since then
        self._refresh: float | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="fleet-lines"):
            yield Static(id="fleet-summary")
            yield Static(id="fleet-sweep")
        if self._read_only:
            yield Static(Text(f"READ-ONLY\n{self._reason}", end=""), id="read-only-badge")

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)
        self._tick()

    def show_summary(self, summary: FleetSummary, last_sweep: datetime | None, refresh: float | None = None) -> None:
        """``refresh``: seconds between scheduled sweeps (None: none are)."""
        quiet_update.show(self.query_one("#fleet-summary", Static), hosts_text(summary), fixed=True)
        self._findings = findings_text(summary)
        self._last, self._refresh = last_sweep, refresh
        self._tick()

    def show_sweeping(self, sweeping: bool) -> None:
        """A scheduled sweep is said to run once it has run for :data:`SHOW_SWEEPING_AFTER` (the next tick):
        a half-second flash every five seconds told nothing and redrew the whole screen twice."""
        self._sweeping_since = clock.now() if sweeping else None
        self._tick()

    def _tick(self) -> None:  # every second: keep "swept 3 seconds ago" true (unchanged text: nothing redrawn)
        now, since = clock.now(), self._sweeping_since
        sweeping = since is not None and (self._refresh is None
                                          or now - since >= timedelta(seconds=SHOW_SWEEPING_AFTER))
        line = self._findings.copy()
        line.append(" │ ", style="dim").append_text(sweep_text(self._last, sweeping, now, self._refresh))
        quiet_update.show(self.query_one("#fleet-sweep", Static), line, fixed=True)  # one line, always
