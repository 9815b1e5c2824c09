"""How long each problem lasted, from the timeline's events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cockpit.severity import Severity
from cockpit.timeline import Event
from cockpit.timeline.spans import human, spans

T0 = datetime(2026, 11, 25, 19, 0, tzinfo=UTC)


def ev(minutes: int, fact: str | None, value: str, sev: Severity) -> Event:
    return Event(at=T0 + timedelta(minutes=minutes), kind=f"k.{value}", subject="web1", summary=f"{fact} {value}",
                 severity=sev, fact=fact, value=value)


def test_bad_to_bad_is_one_stretch_and_open_ones_are_still_going() -> None:
    events = [ev(0, "raid", "degraded", Severity.CRITICAL), ev(10, "raid", "recovery", Severity.CRITICAL),
              ev(70, "raid", "clean", Severity.OK), ev(5, "reach", "unreachable", Severity.CRITICAL),
              ev(6, None, "action", Severity.OK), ev(7, "kernel", "clean", Severity.OK)]
    got = [(s.fact, s.start - T0, s.end - T0 if s.end else None) for s in spans(events)]
    assert got == [("raid", timedelta(0), timedelta(minutes=70)), ("reach", timedelta(minutes=5), None)]
    assert human(spans(events)[0].duration(T0)) == "1 h 10 min"
    assert human(timedelta(seconds=42)) == "42 s" and human(timedelta(minutes=12, seconds=5)) == "12 min"
