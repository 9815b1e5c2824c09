"""Snapshots of the wallboard and the timeline view (time frozen, state fed as a sweep would).

Regenerate with ``pytest tests/ui/test_wallboard_snapshots.py --snapshot-update``
and review the SVGs by eye before committing them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from textual.pilot import Pilot
from ui_helpers import feed
from ui_states import NOW, mixed_fleet

from cockpit import clock
from cockpit.audit.log import Actor, AuditLog
from cockpit.engine.engine import Engine
from cockpit.paths import audit_path
from cockpit.severity import Severity
from cockpit.timeline import Observation
from screens.app import CockpitApp
from screens.timeline import TimelineScreen
from screens.wallboard import WallboardScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((200, 60), id="200x60")]


def incident(engine: Engine) -> None:
    """What the engine would have recorded: web3 gone 25 minutes ago, web1's / read-only 12 minutes ago."""
    def obs(fact: str, value: str, kind: str, subject: str, summary: str, minutes: int, sev: Severity,
            **evidence: object) -> None:
        engine.timeline.observe(Observation(fact=fact, value=value, normal="ok", kind=kind, subject=subject,
                                            summary=summary, severity=sev, evidence=evidence,
                                            at=NOW - timedelta(minutes=minutes)))

    obs("host/web3/reach", "unreachable", "host.unreachable", "web3", "web3 unreachable: no answer within 12 s",
        25, Severity.CRITICAL, probe="SSH to 198.18.0.99 (disk sweep over SSH)", error="no answer within 12 s")
    obs("host/web1/mount//", "read-only", "mount.read-only", "web1", "web1: / is read-only", 12, Severity.CRITICAL,
        probe="/proc/mounts on 198.18.0.14 (disk sweep over SSH)", mount="/dev/md0 / ext4 ro",
        expected="read-write", expected_by=["fstab"])
    obs("host/web1/raid/md0", "degraded", "raid.degraded", "web1", "web1: RAID md0 1 of 2 members missing", 12,
        Severity.CRITICAL, probe="/proc/mdstat on 198.18.0.14 (disk sweep over SSH)",
        array="md0 raid1 degraded, 1/2 members up", failed=["sdb1"])
    audit = AuditLog(audit_path(engine.inventory), Actor("oncall", "laptop", 4242))
    clock.freeze(NOW - timedelta(minutes=4))
    audit.record("action-start", run_id="r1", action="stop-cron", target="web1", dry_run=False,
                 plan={"steps": [{"title": "stop cron on web1"}]})
    clock.freeze(NOW - timedelta(minutes=3))
    audit.record("action-end", run_id="r1", action="stop-cron", target="web1", result="done", message=None)
    clock.freeze(NOW)


@pytest.fixture
def make_app(make_inventory, closed_port, frozen_clock) -> Callable[..., CockpitApp]:
    def make(*, wallboard: bool) -> CockpitApp:
        engine = Engine(make_inventory({"web1": closed_port}), read_only=wallboard, read_only_reason="--wallboard")
        engine.hosts.clear()
        engine.hosts.update(mixed_fleet())
        incident(engine)
        return CockpitApp(engine, poll=False, wallboard=wallboard)

    return make


async def fed(pilot: Pilot[int]) -> None:
    assert isinstance(pilot.app, CockpitApp)
    await pilot.pause()
    feed(pilot.app, pilot.app.engine.hosts)
    await pilot.pause()
    screen = pilot.app.screen_stack[0]
    if isinstance(screen, WallboardScreen):  # its latest changes come from the timeline, read off the UI thread
        for _ in range(300):
            if screen.feed.loads:
                break
            await pilot.pause(0.02)
        await pilot.pause()


async def timeline_open(pilot: Pilot[int]) -> None:
    await fed(pilot)
    await pilot.press("t")
    screen = pilot.app.screen
    assert isinstance(screen, TimelineScreen)
    for _ in range(200):
        if screen.loads:
            break
        await pilot.pause(0.02)
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
def test_wallboard(snap_compare, make_app, size) -> None:
    assert snap_compare(make_app(wallboard=True), terminal_size=size, run_before=fed)


def test_wallboard_without_colour(snap_compare, make_app, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(wallboard=True)
    assert app.no_color
    assert snap_compare(app, terminal_size=(80, 24), run_before=fed)


@pytest.mark.parametrize("size", SIZES)
def test_timeline_view(snap_compare, make_app, size) -> None:
    assert snap_compare(make_app(wallboard=False), terminal_size=size, run_before=timeline_open)
