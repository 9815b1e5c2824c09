"""The scenario's steps on the incident timeline (source ``scenario``), so the
cockpit's timeline and the demo's side panel show what was done to the lab
and when, next to what the cockpit observed."""

from __future__ import annotations

from cockpit import clock
from cockpit.demo.outage import Phase
from cockpit.severity import Severity
from cockpit.timeline import Event, Timeline

SOURCE = "scenario"
KIND = "demo.phase"
RECOVERED = "demo.recovered"


class Story:
    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline

    def phase(self, phase: Phase) -> None:
        self.note(phase.key, phase.faults[0].host if phase.faults else "", phase.title,
                  evidence={"faults": [f.describe() for f in phase.faults]})

    def note(self, key: str, subject: str, summary: str, *, evidence: dict[str, object] | None = None) -> None:
        self.timeline.record(Event(at=clock.now(), kind=KIND, subject=subject, summary=summary,
                                   severity=Severity.WARNING, evidence={"step": key, **(evidence or {})},
                                   source=SOURCE))


    def recovered(self, host: str, standby: str, sites: int, seconds: float) -> None:
        """The last line of the story: the lab's own truth says every step of the runbook took."""
        minutes, secs = divmod(round(seconds), 60)
        self.timeline.record(Event(
            at=clock.now(), kind=RECOVERED, subject=host, severity=Severity.OK, source=SOURCE,
            summary=(f"recovered {minutes} min {secs:02d} s after the first key: {host}'s {sites} sites answer "
                     f"from {standby} on every DNS server, databases moved, /storage as the backup's"),
            evidence={"step": "recovered", "seconds_from_first_key": round(seconds, 1)}))


def scenario_events(timeline: Timeline) -> list[Event]:
    return [e for e in timeline.events() if e.source == SOURCE]
