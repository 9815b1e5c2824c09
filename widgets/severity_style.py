"""How severities and host reachability look: colour AND a symbol and a word,
so the meaning survives NO_COLOR and colour-blind eyes."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

from cockpit.engine.hoststate import Reach
from cockpit.severity import Severity


@dataclass(frozen=True)
class Look:
    symbol: str
    label: str
    style: str

    def text(self, extra: str = "") -> Text:
        words = f"{self.symbol} {self.label}" + (f" {extra}" if extra else "")
        return Text(words, style=self.style, end="")

    def short(self, extra: str) -> Text:
        """Symbol plus ``extra`` (no label), for compact cells."""
        return Text(f"{self.symbol} {extra}", style=self.style, end="")


SEVERITY: dict[Severity, Look] = {
    Severity.OK: Look("✓", "OK", "green"),
    Severity.WARNING: Look("▲", "WARN", "bold yellow"),
    Severity.UNKNOWN: Look("?", "UNKNOWN", "bold magenta"),
    Severity.CRITICAL: Look("✗", "CRIT", "bold red"),
}

REACH: dict[Reach, Look] = {
    Reach.PENDING: Look("…", "PENDING", "dim"),
    Reach.UP: Look("✓", "UP", "green"),
    Reach.UNREACHABLE: Look("✗", "UNREACHABLE", "bold red"),
    Reach.UNTRUSTED: Look("✗", "UNTRUSTED", "bold red"),
    Reach.ERROR: Look("✗", "ERROR", "bold red"),
}

DOWN = frozenset({Reach.UNREACHABLE, Reach.UNTRUSTED, Reach.ERROR})
"""Hosts cockpit cannot use at all: shown first, in red, one row each."""


def severity_text(sev: Severity, extra: str = "") -> Text:
    return SEVERITY[sev].text(extra)


def reach_text(reach: Reach) -> Text:
    return REACH[reach].text()
