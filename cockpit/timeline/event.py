"""A timeline event: something changed (or was done), when, and the evidence.

Events are JSON lines. ``fact``/``value``/``previous`` make an observed change
comparable with the next observation; actions (from the audit log) have none.
Every string is made printable and secrets are scrubbed before it is stored;
a reader accepts only well-formed records and skips the rest.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from cockpit import clock
from cockpit.secrets import scrub
from cockpit.severity import Severity
from cockpit.untrusted import printable

SCHEMA = 1
Evidence = Mapping[str, Any]


@dataclass(frozen=True)
class Observation:
    """What an engine part sees now about one fact (e.g. ``host/web1/reach`` is ``unreachable``).

    ``normal`` is the value a fact has when nothing is wrong: a first sighting
    of the normal value is not an event, a first sighting of anything else is.
    """

    fact: str
    value: str
    normal: str
    kind: str  # what the event is called, e.g. "host.unreachable"
    subject: str  # the host, site, transfer... it is about
    summary: str  # one line a post-mortem can quote
    severity: Severity = Severity.OK
    evidence: Evidence = field(default_factory=dict)
    at: datetime | None = None  # when it was observed (default: now)


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str
    subject: str
    summary: str
    severity: Severity = Severity.OK
    evidence: Evidence = field(default_factory=dict)
    source: str = "observed"  # "observed" (the engine saw it) | "action" (from the audit log)
    fact: str | None = None
    value: str | None = None
    previous: str | None = None
    by: str | None = None  # who recorded it: user@machine (pid N)

    @classmethod
    def from_observation(cls, obs: Observation, previous: str | None, by: str | None) -> Event:
        return cls(at=obs.at or clock.now(), kind=obs.kind, subject=obs.subject, summary=obs.summary,
                   severity=obs.severity, evidence=dict(obs.evidence), fact=obs.fact, value=obs.value,
                   previous=previous, by=by)

    def to_json(self) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "v": SCHEMA, "at": clock.iso(self.at), "kind": _text(self.kind, 80), "subject": _text(self.subject, 200),
            "summary": _text(self.summary, 1000), "severity": self.severity.value, "source": self.source,
            "evidence": clean_evidence(self.evidence),
        }
        for key in ("fact", "value", "previous", "by"):
            value = getattr(self, key)
            if value is not None:
                doc[key] = _text(value, 400)
        result: dict[str, Any] = scrub(doc)
        return result


def event_from_json(doc: object) -> Event | None:
    """The event a stored record holds, or None when it is not a well-formed event."""
    if not isinstance(doc, dict):
        return None
    at = parse_time(doc.get("at"))
    kind, subject, summary = doc.get("kind"), doc.get("subject"), doc.get("summary")
    if at is None or not all(isinstance(v, str) for v in (kind, subject, summary)):
        return None
    try:
        severity = Severity(doc.get("severity", "ok"))
    except ValueError:
        severity = Severity.UNKNOWN
    evidence = doc.get("evidence")
    opt = {k: doc[k] if isinstance(doc.get(k), str) else None for k in ("fact", "value", "previous", "by")}
    source = doc.get("source")
    return Event(at=at, kind=str(kind), subject=str(subject), summary=str(summary), severity=severity,
                 evidence=clean_evidence(evidence) if isinstance(evidence, dict) else {},
                 source=source if isinstance(source, str) else "observed", **opt)


def parse_time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        t = datetime.fromisoformat(value)
    except ValueError:
        return None
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)


def clean_evidence(evidence: Mapping[str, Any], depth: int = 0) -> dict[str, Any]:
    """Evidence as JSON-safe, printable, bounded values (it is host output, mostly)."""
    out: dict[str, Any] = {}
    for key, value in list(evidence.items())[:32]:
        out[_text(str(key), 60)] = _clean_value(value, depth)
    return out


def _clean_value(value: Any, depth: int) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, Mapping) and depth < 2:
        return clean_evidence(value, depth + 1)
    if isinstance(value, list | tuple) and depth < 2:
        return [_clean_value(v, depth + 1) for v in list(value)[:32]]
    return _text(str(value), 1000)


def _text(value: str, limit: int) -> str:
    return printable(value, limit)
