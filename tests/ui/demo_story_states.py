"""An incident history as the demo leaves it mid-recovery: the scenario's real
phases (cockpit.demo.outage) and something the engine observed (the side panel
leaves it out) on the timeline, and the engineer's actions in an audit log file
as the actions engine writes it (one with a hostile target name, which must be
shown as typed, never as markup)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from textual.pilot import Pilot
from ui_states import NOW

from cockpit.demo import outage
from cockpit.demo.story import KIND, SOURCE
from cockpit.severity import Severity
from cockpit.timeline import Event, Timeline
from cockpit.timeline.history import History
from screens.app import CockpitApp
from widgets.demo_story import DemoStory

HOSTILE = "[bold red]pwn[/] \x1b[31mx"
SITES = 6


def _at(seconds: int) -> str:
    return (NOW + timedelta(seconds=seconds)).isoformat()


def _audit(seconds: int, kind: str, action: str, target: str, **rec: object) -> str:
    return json.dumps({"kind": kind, "at": _at(seconds), "action": action, "target": target, "user": "oncall",
                       "machine": "laptop", "pid": 4242, "run_id": "r1", **rec}) + "\n"


def demo_history(tmp_path: Path) -> History:
    timeline = Timeline(None)
    raid, hang, reboot = outage.phases(SITES)
    for seconds, phase in ((0, raid), (20, hang), (40, reboot)):
        timeline.record(Event(at=NOW + timedelta(seconds=seconds), kind=KIND, subject=outage.HOST,
                              summary=phase.title, severity=Severity.WARNING, source=SOURCE))
    timeline.record(Event(at=NOW + timedelta(seconds=25), kind="host.unreachable", subject="web1",
                          summary="web1 unreachable: no answer within 12 s", severity=Severity.CRITICAL))
    audit = tmp_path / "audit.jsonl"
    done = {"result": "done", "message": "done, verified: 1 check OK"}
    audit.write_text(_audit(60, "action-start", "stop-cron", "web1")
                     + _audit(62, "action-step", "stop-cron", "web1", state="done", title="Stop cron", step=1)
                     + _audit(63, "action-verify", "stop-cron", "web1", ok=True)
                     + _audit(65, "action-end", "stop-cron", "web1", **done)
                     + _audit(70, "action-start", "move-database", HOSTILE))
    return History(timeline, audit)


async def mount_story(pilot: Pilot[int], history: History) -> DemoStory:
    """Mount the side panel on the dashboard as ``cockpit demo`` does, and wait for its first read."""
    app = pilot.app
    assert isinstance(app, CockpitApp)
    story = DemoStory(history)
    await app.dashboard.mount(story)
    for _ in range(400):  # its reader is a thread worker (a newer read may cancel an older one)
        await pilot.pause(0.05)
        if story.events:
            break
    await pilot.pause()
    return story
