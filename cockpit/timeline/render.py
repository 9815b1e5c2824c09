"""The timeline as text: plain (a terminal), Markdown (a post-mortem), JSON (scripts).

Every string in an event may come from a host; it was made printable when it
was stored, and the Markdown renderer escapes what Markdown would interpret.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from cockpit import clock
from cockpit.severity import Severity
from cockpit.timeline.event import Event
from cockpit.timeline.spans import human, spans

MARK = {Severity.CRITICAL: "✗", Severity.WARNING: "▲", Severity.UNKNOWN: "?", Severity.OK: "✓"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~#&!])")


def when(t: datetime) -> str:
    return clock.iso(t) or "?"


def label(e: Event) -> str:
    """``✗ critical`` or ``▶ action`` (actions are what people did)."""
    if e.source == "action":
        return "▶ action" if e.severity is Severity.OK else f"{MARK[e.severity]} action"
    return f"{MARK[e.severity]} {e.severity.value}"


def evidence_text(evidence: Mapping[str, Any]) -> str:
    """``probe; key: value; ...`` with the probe (where it was seen) first."""
    parts = [str(evidence["probe"])] if evidence.get("probe") else []
    for key, value in evidence.items():
        if key == "probe" or value in (None, "", [], {}):
            continue
        parts.append(f"{key}: {_flat(value)}")
    return "; ".join(parts)


def _flat(value: Any) -> str:
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={_flat(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_flat(v) for v in value)
    return str(value)


def plain(events: Sequence[Event]) -> str:
    lines = []
    for e in events:
        lines.append(f"{when(e.at)}  {label(e):<11} {e.summary}")
        ev = evidence_text(e.evidence)
        if ev:
            lines.append(f"{'':22}{'':12}evidence: {ev}")
    stretches = spans(events)
    if stretches:
        now = clock.now()
        lines += ["", "How long each problem lasted:"]
        for sp in stretches:
            end = f"until {sp.end:%H:%M:%S}" if sp.end else "still going"
            lines.append(f"  {human(sp.duration(now)):>12}{'' if sp.end else '+'}  from {when(sp.start)} {end}: "
                         f"{sp.what}")
    return "\n".join(lines)


def md_escape(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def markdown(events: Sequence[Event], *, title: str, sources: Sequence[str], since: datetime | None) -> str:
    out = [f"## Incident timeline: {md_escape(title)}", ""]
    span = f" since {when(since)}" if since is not None else ""
    out.append(f"{len(events)} event{'s' if len(events) != 1 else ''}{span}, times in UTC. "
               f"Generated {when(clock.now())} by cockpit from " + ", ".join(f"`{s}`" for s in sources) + ".")
    out.append("")
    if not events:
        out.append("_No events recorded._")
        return "\n".join(out) + "\n"
    out += ["| Time (UTC) | Severity | What | Evidence |", "|---|---|---|---|"]
    for e in events:
        t = e.at.strftime("%Y-%m-%d %H:%M:%S")
        out.append(f"| {t} | {md_escape(label(e))} | {md_escape(e.summary)} | "
                   f"{md_escape(evidence_text(e.evidence))} |")
    stretches = spans(events)
    if stretches:
        now = clock.now()
        out += ["", "### How long each problem lasted", "", "| Problem | From | To | Lasted |", "|---|---|---|---|"]
        for sp in stretches:
            end = sp.end.strftime("%H:%M:%S") if sp.end else "still going"
            out.append(f"| {md_escape(sp.what)} | {sp.start:%Y-%m-%d %H:%M:%S} | {end} | "
                       f"{human(sp.duration(now))}{'' if sp.end else '+'} |")
    return "\n".join(out) + "\n"


def json_doc(events: Sequence[Event], *, inventory: str, sources: Sequence[str],
             since: datetime | None) -> dict[str, Any]:
    return {"generated_at": when(clock.now()), "inventory": inventory, "since": clock.iso(since),
            "sources": list(sources), "events": [e.to_json() for e in events],
            "spans": [{"fact": sp.fact, "subject": sp.subject, "what": sp.what, "severity": sp.severity.value,
                       "start": clock.iso(sp.start), "end": clock.iso(sp.end)} for sp in spans(events)]}
