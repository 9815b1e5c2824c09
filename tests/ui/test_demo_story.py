"""The demo's side panel (widgets/demo_story.py): the outage told in order, host
text escaped, a side panel where there is room and a one-line ticker at 80×24
so the panes keep their columns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from demo_story_states import demo_history, mount_story
from textual.pilot import Pilot
from ui_helpers import feed, visible_text
from ui_states import mixed_fleet

from cockpit.demo import outage
from cockpit.demo.story import Story
from cockpit.engine.engine import Engine
from screens.app import CockpitApp
from widgets.demo_story import SHOWN, SIDE_MIN_WIDTH, SIDE_WIDTH, DemoStory, story_events, story_lines

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((200, 60), id="200x60")]


@pytest.fixture
def make_app(make_inventory, closed_port, frozen_clock) -> Callable[[], CockpitApp]:
    return lambda: CockpitApp(Engine(make_inventory({"web1": closed_port})), poll=False)


def test_the_raid_phase_counts_in_words() -> None:
    assert "1 table corrupt on 1 of 3 sites" in outage.phases(3)[0].title
    assert "4 tables corrupt on 2 of 6 sites" in outage.phases(6)[0].title


def test_the_story_is_the_scenario_and_the_actions_in_order_escaped(tmp_path: Path) -> None:
    text = story_lines(demo_history(tmp_path).entries())
    lines = text.plain.split("\n")
    assert [line[:8] for line in lines] == ["03:00:00", "03:00:20", "03:00:40", "03:01:00", "03:01:05", "03:01:10"]
    assert "RAID on web1 writes garbage" in lines[0] and "SSH to web1 hangs" in lines[1]
    assert "remote reboot of web1" in lines[2] and "started stop-cron on web1" in lines[3]
    assert "stop-cron on web1 ended: done" in lines[4]
    assert "unreachable" not in text.plain  # observed by the engine: the panes show that, not the story
    assert "Stop cron" not in text.plain and "verification" not in text.plain  # steps: on the timeline only
    assert "[bold red]pwn[/]" in lines[5] and "\x1b" not in text.plain
    assert not any("red" in str(span.style) for span in text.spans if span.start >= text.plain.index("[bold"))


def test_the_phases_stay_when_many_actions_follow(tmp_path: Path) -> None:
    history = demo_history(tmp_path)
    many = [replace(e, at=e.at + timedelta(minutes=i)) for i in range(1, 30)
            for e in history.entries() if e.kind == "action-start"]
    shown = story_events(history.entries() + many)
    assert len(shown) == SHOWN
    assert [e.source for e in shown[:3]] == ["scenario"] * 3  # the outage is never scrolled away
    assert shown[-1].at == max(e.at for e in many)  # then the newest actions


def test_nothing_played_yet_says_so() -> None:
    assert story_lines([]).plain == "waiting for the outage…"


async def test_a_side_panel_where_there_is_room_a_ticker_at_80_columns(make_app, tmp_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(200, 60)) as pilot:
        feed(app, mixed_fleet())
        story = await mount_story(pilot, demo_history(tmp_path))
        assert not story.ticker and story.region.width == SIDE_WIDTH and story.region.height == 60
        shown = " ".join(line.strip(" │╭╮╰╯─") for line in visible_text(story).split("\n"))  # unwrapped
        assert shown.index("RAID on web1") < shown.index("SSH to web1") < shown.index("started stop-cron")
        assert "[bold red]pwn[/]" in shown
        await _resize(pilot, 80, 24)
        assert story.ticker and story.region.height == 1 and story.region.width == 80
        assert app.dashboard.disk_pane.region.width == 80  # the Disks pane keeps the whole width (Detail column)
        line = visible_text(story)
        assert line.startswith(" Demo 03:01:10 ▶ oncall@laptop started move-database on [bold red]pwn[/]")
        assert "RAID" not in line  # the newest step only
        await _resize(pilot, SIDE_MIN_WIDTH, 30)
        assert not story.ticker and story.region.width == SIDE_WIDTH


async def _resize(pilot: Pilot[int], width: int, height: int) -> None:
    """Resize, then let the layout settle (a loaded machine may need several refreshes)."""
    await pilot.resize_terminal(width, height)
    story = pilot.app.screen.query_one(DemoStory)
    want = width if width < SIDE_MIN_WIDTH else SIDE_WIDTH
    for _ in range(100):
        await pilot.pause()
        if story.region.width == want and story.ticker == (width < SIDE_MIN_WIDTH) and story.size.width:
            break


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_of_the_demo_story_on_the_dashboard(snap_compare, make_app, size, tmp_path: Path) -> None:
    async def run_before(pilot: Pilot[int]) -> None:
        assert isinstance(pilot.app, CockpitApp)
        await pilot.pause()
        feed(pilot.app, mixed_fleet())
        await mount_story(pilot, demo_history(tmp_path))

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)



def test_the_story_ends_with_the_recovery_in_green(tmp_path: Path) -> None:
    history = demo_history(tmp_path)
    Story(history.timeline).recovered("web1", "standby1", 6, 754.4)
    text = story_lines(history.entries())
    last = text.plain.split("\n")[-1]
    assert last.endswith("✓ recovered 12 min 34 s after the first key: web1's 6 sites answer from standby1 on "
                         "every DNS server, databases moved, /storage as the backup's")  # whole: not cut short
    mark = text.plain.rindex("✓")
    assert any("green" in str(span.style) for span in text.spans if span.start <= mark < span.end)
