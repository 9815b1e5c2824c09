"""The timeline view (key t): the same events as ``cockpit timeline``, live, host text escaped."""

from __future__ import annotations

from collections import deque
from datetime import timedelta

import pytest
from textual.pilot import Pilot
from ui_states import HOSTILE, NOW

from cockpit import clock
from cockpit.audit.log import AuditLog
from cockpit.engine.engine import Engine
from cockpit.paths import audit_path
from cockpit.severity import Severity
from cockpit.timeline import Observation
from screens import timeline as timeline_screen
from screens.app import CockpitApp
from screens.timeline import TimelineScreen
from widgets.timeline_log import TimelineLog


def seen(fact: str, value: str, summary: str, minutes: int, **evidence: object) -> Observation:
    return Observation(fact=fact, value=value, normal="ok", kind=f"test.{value}", subject="web1", summary=summary,
                       severity=Severity.CRITICAL, evidence=evidence, at=NOW + timedelta(minutes=minutes))


def log_text(screen: TimelineScreen) -> str:
    return "\n".join(strip.text for strip in screen.query_one(TimelineLog).lines)


async def loaded(pilot, screen: TimelineScreen, after: int) -> None:
    for _ in range(200):
        if screen.loads > after:
            return
        await pilot.pause(0.02)
    raise AssertionError("the timeline view never read the events")


async def opened(pilot: Pilot[int]) -> TimelineScreen:
    """Press t: the timeline view, once it has read the events."""
    await pilot.press("t")
    screen = pilot.app.screen
    assert isinstance(screen, TimelineScreen)
    await loaded(pilot, screen, 0)
    return screen


@pytest.fixture
def engine(make_inventory, closed_port, monkeypatch: pytest.MonkeyPatch) -> Engine:
    monkeypatch.setattr(timeline_screen, "REFRESH_SECONDS", 0.02)
    return Engine(make_inventory({"web1": closed_port}))


async def test_t_opens_the_timeline_and_it_follows_new_events_and_actions(engine: Engine) -> None:
    engine.timeline.observe(seen("host/web1/mount//srv", "read-only", "web1: /srv is read-only", 0,
                                 probe="/proc/mounts on 198.18.0.101", mount="/dev/md1 /srv ext4 ro"))
    app = CockpitApp(engine, poll=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        text = log_text(screen)
        assert "web1: /srv is read-only" in text
        assert "evidence: /proc/mounts on 198.18.0.101; mount: /dev/md1 /srv ext4 ro" in text
        assert "1 event," in str(screen.query_one("#timeline-sources").render())

        engine.timeline.observe(seen("host/web1/kernel", "io-errors", f"kernel says {HOSTILE}", 3))
        clock.freeze(NOW + timedelta(minutes=5))
        try:
            AuditLog(audit_path(engine.inventory)).record("action-end", run_id="r1", action="stop-cron",
                                                          target="web1", result="done", message=None)
        finally:
            clock.freeze(None)
        count = screen.loads
        await loaded(pilot, screen, count + 1)
        lines = log_text(screen).splitlines()
        assert [ln for ln in lines if "kernel says" in ln] == [
            f"{(NOW + timedelta(minutes=3)):%H:%M:%S}  ✗ CRIT    kernel says [bold red]x[/] red "
            "[link=http://evil]y[/link]"]  # literal markup, no escape sequences
        assert "▶ ACTION  stop-cron on web1 ended: done" in lines[-2] and "audit: action-end by" in lines[-1]
        await pilot.press("t")
        assert not isinstance(app.screen, TimelineScreen)


async def test_an_empty_timeline_says_so(engine: Engine) -> None:
    app = CockpitApp(engine, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        assert "No events yet" in log_text(screen)
        await pilot.press("escape")
        assert not isinstance(app.screen, TimelineScreen)


async def test_a_timeline_past_its_memory_bound_says_where_the_rest_is(engine: Engine) -> None:
    engine.timeline._events = deque(maxlen=2)  # the engine's bound (ENGINE_KEEP), made small
    for i in range(3):
        engine.timeline.observe(seen("host/web1/reach", "down" if i % 2 == 0 else "ok", f"change {i}", i))
    app = CockpitApp(engine, poll=False)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await opened(pilot)
        about = str(screen.query_one("#timeline-sources").render())
        assert "2 events," in about and "1 older one is in the files" in about
        assert "change 0" not in log_text(screen) and "change 2" in log_text(screen)
