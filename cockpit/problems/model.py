"""One problem the fleet has now."""

from __future__ import annotations

from dataclasses import dataclass

from cockpit.severity import Severity

PANES = ("disks", "sites", "transfers", "dns")  # the dashboard's panes, in their order


@dataclass(frozen=True)
class Problem:
    severity: Severity  # warning, unknown or critical (ok is not a problem)
    pane: str  # which dashboard pane shows it: one of PANES
    subject: str  # the host, site, transfer... (host text: render escaped)
    what: str  # short, e.g. "/srv read-only, expected read-write"
    fact: str | None = None  # its timeline fact, when there is one: says since when

    def order(self) -> tuple[int, int, str, str]:
        pane = PANES.index(self.pane) if self.pane in PANES else len(PANES)
        return (-self.severity.rank, pane, self.subject, self.what)
