"""How one timeline event looks on screen: time, severity (symbol and word),
what happened, and the evidence. Host text is only ever put in ``Text`` (never
parsed as markup)."""

from __future__ import annotations

from rich.text import Text

from cockpit.severity import Severity
from cockpit.timeline.event import Event
from cockpit.timeline.render import evidence_text
from widgets.host_text import host_text
from widgets.severity_style import SEVERITY

ACTION_STYLE = "bold"


def event_text(e: Event, *, with_date: bool = False, with_evidence: bool = True) -> Text:
    stamp = e.at.strftime("%Y-%m-%d %H:%M:%S" if with_date else "%H:%M:%S")
    text = Text(end="")
    text.append(stamp, style="dim")
    text.append("  ")
    if e.source == "action":
        look = SEVERITY[e.severity] if e.severity is not Severity.OK else None
        text.append(f"{look.symbol if look else '▶'} ACTION ", style=look.style if look else ACTION_STYLE)
    else:
        look = SEVERITY[e.severity]
        text.append(f"{look.symbol} {look.label:<7}", style=look.style)
    text.append(" ")
    text.append_text(host_text(e.summary))
    evidence = evidence_text(e.evidence) if with_evidence else ""
    if evidence:
        text.append("\n" + " " * 10 + "evidence: ", style="dim")
        text.append_text(host_text(evidence, style="dim", limit=4000))
    return text


def day_text(e: Event) -> Text:
    return Text(f"── {e.at.strftime('%A %Y-%m-%d')} (UTC) ──", style="bold", end="")
