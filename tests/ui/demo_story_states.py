"""A timeline as the demo leaves it mid-recovery: the scenario's real phases
(cockpit.demo.outage), something the engine observed (the side panel leaves
it out), and the engineer's actions as the audit log records them (one with a
hostile target name, which must be shown as typed, never as markup)."""

from __future__ import annotations

from datetime import timedelta

from textual.pilot import Pilot
from ui_states import NOW

from cockpit.demo import outage
from cockpit.demo.story import KIND, SOURCE
from cockpit.severity import Severity
from cockpit.timeline import Event, Timeline
from cockpit.timeline.audit_entries import event_from_audit
from screens.app import CockpitApp
from widgets.demo_story import DemoStory

HOSTILE = "[bold red]pwn[/] \x1b[31mx"
SITES = 6


def _at(seconds: int) -> str:
    return (NOW + timedelta(seconds=seconds)).isoformat()


def _audit(seconds: int, kind: str, action: str, target: str, **rec: object) -> Event:
    event = event_from_audit({"kind": kind, "at": _at(seconds), "action": action, "target": target,
                              "user": "oncall", "machine": "laptop", "pid": 4242, "run_id": "r1", **rec})
    assert event is not None
    return event


def demo_timeline() -> Timeline:
    timeline = Timeline(None)
    raid, hang, reboot = outage.phases(SITES)
    for seconds, phase in ((0, raid), (20, hang), (40, reboot)):
        timeline.record(Event(at=NOW + timedelta(seconds=seconds), kind=KIND, subject=outage.HOST,
                              summary=phase.title, severity=Severity.WARNING, source=SOURCE))
    timeline.record(Event(at=NOW + timedelta(seconds=25), kind="host.unreachable", subject="web1",
                          summary="web1 unreachable: no answer within 12 s", severity=Severity.CRITICAL))
    timeline.record(_audit(60, "action-start", "stop-cron", "web1"))
    timeline.record(_audit(65, "action-end", "stop-cron", "web1", result="done", message="done, verified: 1 check OK"))
    timeline.record(_audit(70, "action-start", "move-database", HOSTILE))
    return timeline


async def mount_story(pilot: Pilot[int], timeline: Timeline) -> DemoStory:
    """Mount the side panel on the dashboard as ``cockpit demo`` does, and wait for its first read."""
    app = pilot.app
    assert isinstance(app, CockpitApp)
    story = DemoStory(timeline)
    await app.dashboard.mount(story)
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    return story
