"""How long each problem lasted: from the event that made a fact bad to the
next event that made it good again (or still going), for the post-mortem."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from cockpit.severity import Severity
from cockpit.timeline.event import Event


@dataclass(frozen=True)
class Span:
    fact: str
    subject: str
    what: str  # the summary of the event that started it
    start: datetime
    end: datetime | None  # None: still going at the last event
    severity: Severity

    def duration(self, now: datetime) -> timedelta:
        return (self.end or now) - self.start


def spans(events: Sequence[Event]) -> list[Span]:
    """Bad stretches of every fact, in order of their start. A change from one bad
    value to another (degraded, then rebuilding) continues the same stretch."""
    open_: dict[str, Event] = {}
    out: list[Span] = []
    for e in sorted((e for e in events if e.fact is not None), key=lambda e: e.at):
        assert e.fact is not None
        started = open_.get(e.fact)
        if e.severity is Severity.OK:
            if started is not None:
                out.append(_span(started, e.at))
                del open_[e.fact]
        elif started is None:
            open_[e.fact] = e
    out += [_span(e, None) for e in open_.values()]
    return sorted(out, key=lambda s: s.start)


def _span(e: Event, end: datetime | None) -> Span:
    assert e.fact is not None
    return Span(fact=e.fact, subject=e.subject, what=e.summary, start=e.at, end=end, severity=e.severity)


def human(d: timedelta) -> str:
    """``1 h 05 min``, ``12 min``, ``40 s``."""
    secs = int(d.total_seconds())
    if secs < 60:
        return f"{secs} s"
    hours, minutes = divmod(secs // 60, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min"
