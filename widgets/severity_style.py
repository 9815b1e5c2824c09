"""How severities and host reachability look: colour AND a symbol and a word,
so the meaning survives NO_COLOR and colour-blind eyes."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

from cockpit.engine.hoststate import Reach
from cockpit.severity import Severity
from widgets import palette
from widgets.palette import Role


@dataclass(frozen=True)
class Look:
    symbol: str
    label: str
    role: Role

    @property
    def style(self) -> str:
        return palette.style(self.role)

    def text(self, extra: str = "") -> Text:
        words = f"{self.symbol} {self.label}" + (f" {extra}" if extra else "")
        return Text(words, style=self.style, end="")

    def short(self, extra: str) -> Text:
        """Symbol plus ``extra`` (no label), for compact cells."""
        return Text(f"{self.symbol} {extra}", style=self.style, end="")


SEVERITY: dict[Severity, Look] = {
    Severity.OK: Look("✓", "OK", "ok"),
    Severity.WARNING: Look("▲", "WARN", "warning"),
    Severity.UNKNOWN: Look("?", "UNKNOWN", "unknown"),
    Severity.CRITICAL: Look("✗", "CRIT", "critical"),
}

REACH: dict[Reach, Look] = {
    Reach.PENDING: Look("…", "PENDING", "muted"),
    Reach.UP: Look("✓", "UP", "ok"),
    Reach.UNREACHABLE: Look("✗", "UNREACHABLE", "critical"),
    Reach.UNTRUSTED: Look("✗", "UNTRUSTED", "critical"),
    Reach.ERROR: Look("✗", "ERROR", "critical"),
}


def severity_text(sev: Severity, extra: str = "") -> Text:
    return SEVERITY[sev].text(extra)


def reach_text(reach: Reach) -> Text:
    return REACH[reach].text()
