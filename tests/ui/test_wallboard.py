"""The wallboard: read-only by construction, worst problems first, panes cycling by themselves."""

from __future__ import annotations

import pytest
from ui_helpers import feed, visible_text
from ui_states import healthy, hostile, mixed_fleet

from cockpit.engine.engine import Engine
from cockpit.problems import fleet_problems
from cockpit.severity import Severity
from screens.app import CockpitApp
from screens.wallboard import RECENT, WallboardScreen
from widgets.pane import Pane
from widgets.problem_list import BIG_LIMIT, ProblemList
from widgets.wall_summary import WallSummary


def wallboard(make_inventory, port: int, hosts=None) -> CockpitApp:
    engine = Engine(make_inventory({"web1": port}), read_only=True, read_only_reason="--wallboard")
    engine.hosts.clear()
    engine.hosts.update(mixed_fleet() if hosts is None else hosts)
    return CockpitApp(engine, poll=False, wallboard=True)


def shown_panes(app: CockpitApp) -> list[str]:
    return [p.pane_id for p in app.dashboard.query(Pane) if p.display]


def test_a_wallboard_on_an_engine_that_can_act_is_refused(make_inventory, closed_port) -> None:
    with pytest.raises(ValueError, match="read-only engine"):
        WallboardScreen({}, Engine(make_inventory({"web1": closed_port})))


def test_problems_are_worst_first_across_the_fleet(make_inventory, closed_port) -> None:
    app = wallboard(make_inventory, closed_port)
    problems = fleet_problems(app.engine)
    sev = [p.severity for p in problems]
    assert sev == sorted(sev, key=lambda s: -s.rank)
    assert {p.subject for p in problems if p.severity is Severity.CRITICAL} == {"web1", "web3", "db1"}
    assert not any(p.subject in ("web2", "standby1") for p in problems)  # healthy hosts are not problems
    assert any(p.subject == "mail1" and "86%" in p.what for p in problems)


async def test_small_terminal_shows_counts_problems_and_the_worst_pane(make_inventory, closed_port) -> None:
    app = wallboard(make_inventory, closed_port)
    async with app.run_test(size=(80, 24)) as pilot:
        feed(app, app.engine.hosts)
        await pilot.pause()
        screen = app.dashboard
        assert isinstance(screen, WallboardScreen) and not screen.has_class("-big")
        counts = visible_text(screen.query_one("#wall-counts-line"))
        assert "Problems: ✗ 5 critical" in counts
        lines = visible_text(screen.query_one(ProblemList)).splitlines()
        assert lines[1].strip("│ ").startswith("✗ CRIT")
        assert "… and" in visible_text(screen.query_one(ProblemList))  # more than fit: says so
        assert shown_panes(app) == ["disks"]  # the pane with the worst problems
        assert "READ-ONLY" in visible_text(screen.query_one("#read-only-badge"))


async def test_large_terminal_draws_big_digits_and_the_grid(make_inventory, closed_port) -> None:
    app = wallboard(make_inventory, closed_port)
    async with app.run_test(size=(200, 60)) as pilot:
        feed(app, app.engine.hosts)
        await pilot.pause()
        screen = app.dashboard
        assert screen.has_class("-big")
        assert screen.query_one("#wall-counts-big").display and not screen.query_one("#wall-counts-line").display
        assert "CRITICAL" in visible_text(screen.query_one("#wall-count-critical .wall-count-label"))
        assert screen.query_one("#wall-count-critical").has_class("-bad")
        assert screen.query_one("#wall-count-warning").has_class("-bad")  # mail1 warns, db-less kernel unknown
        assert len(shown_panes(app)) == 4
        screen.cycle()
        assert screen.active == "disks"  # in the grid, the worst pane stays highlighted


async def test_in_large_terminals_the_panes_stay_put_when_problems_come_and_go(make_inventory, closed_port) -> None:
    # A shared screen whose panes jump a line per problem is hard to read; and each jump laid out and drew
    # every pane anew (the soak's heap grew with it: bench/soak.py).
    app = wallboard(make_inventory, closed_port)
    async with app.run_test(size=(200, 60)) as pilot:
        feed(app, app.engine.hosts)
        await pilot.pause()
        screen = app.dashboard
        problems, recent, panes = (screen.query_one(q) for q in ("#wall-problems", "#wall-recent", "#panes"))
        assert len(screen.problems) > 3
        assert problems.outer_size.height == BIG_LIMIT + 2 and recent.outer_size.height == RECENT + 2
        with_problems = panes.region

        well = {name: healthy(name) for name in app.engine.hosts}
        app.engine.hosts.clear()
        app.engine.hosts.update(well)
        feed(app, well)
        await pilot.pause()
        assert not screen.problems and "No problems" in visible_text(problems)
        assert panes.region == with_problems
        assert problems.outer_size.height == BIG_LIMIT + 2


async def test_panes_cycle_by_themselves_through_those_with_problems(make_inventory, closed_port,
                                                                    monkeypatch) -> None:
    # The test turns the wheel itself: the screen's own 10 s timer must not add a turn on a slow machine.
    monkeypatch.setattr("screens.wallboard.CYCLE_SECONDS", 3600.0)
    app = wallboard(make_inventory, closed_port)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.dashboard
        assert isinstance(screen, WallboardScreen)
        screen.cycle()
        assert shown_panes(app) == ["disks"]  # only the disks pane has problems: it stays
        app.engine.hosts.clear()  # all well: every pane gets its turn
        screen.refresh_problems()
        seen = []
        for _ in range(4):
            screen.cycle()
            await pilot.pause()
            seen += shown_panes(app)
        assert seen == ["sites", "transfers", "dns", "disks"]
        assert "No problems" in visible_text(screen.query_one(ProblemList))


async def test_host_text_is_escaped_on_the_wallboard(make_inventory, closed_port) -> None:
    app = wallboard(make_inventory, closed_port, {"evil": hostile("evil")})
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        text = visible_text(app.dashboard.query_one(ProblemList))
        assert "[bold red]x[/]" in text and "\x1b" not in text


async def test_wallboard_counts_update_after_a_sweep(make_inventory, closed_port) -> None:
    app = wallboard(make_inventory, closed_port, {})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Problems: ✓ 0 critical" in visible_text(app.dashboard.query_one("#wall-counts-line"))
        app.engine.hosts.update(mixed_fleet())
        feed(app, app.engine.hosts)
        await pilot.pause()
        assert "✗ 5 critical" in visible_text(app.dashboard.query_one(WallSummary).query_one("#wall-counts-line"))


async def test_latest_changes_newest_first_in_large_terminals_only(make_inventory, closed_port) -> None:
    from datetime import timedelta

    from ui_states import NOW

    from cockpit import clock
    from cockpit.audit.log import AuditLog
    from cockpit.paths import audit_path
    from cockpit.timeline import Observation

    app = wallboard(make_inventory, closed_port)
    for minutes, host in ((1, "web3"), (2, "db1")):
        app.engine.timeline.observe(Observation(fact=f"host/{host}/reach", value="unreachable", normal="up",
                                                kind="host.unreachable", subject=host, summary=f"{host} unreachable",
                                                severity=Severity.CRITICAL, at=NOW + timedelta(minutes=minutes)))
    clock.freeze(NOW + timedelta(minutes=3))
    try:  # an engineer's action, from the audit log
        AuditLog(audit_path(app.engine.inventory)).record("action-end", run_id="r1", action="stop-cron",
                                                          target="web1", result="done", message=None)
    finally:
        clock.freeze(None)
    async with app.run_test(size=(200, 60)) as pilot:
        await feed_loaded(pilot, app)
        recent = app.dashboard.query_one("#wall-recent")
        assert recent.display
        lines = visible_text(recent).splitlines()
        assert "stop-cron on web1 ended: done" in lines[1]
        assert "db1 unreachable" in lines[2] and "web3 unreachable" in lines[3]
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not app.dashboard.query_one("#wall-recent").display


async def feed_loaded(pilot, app: CockpitApp) -> None:
    screen = app.dashboard
    assert isinstance(screen, WallboardScreen)
    for _ in range(300):
        if screen.feed.loads:
            break
        await pilot.pause(0.02)
    assert screen.feed.loads, "the wallboard never read the timeline"
    await pilot.pause()


async def test_no_worker_is_left_running_between_reads(make_inventory, closed_port) -> None:
    # Tests (and quitting) wait for the app's workers: the timeline feed must not hold one forever.
    import asyncio

    app = wallboard(make_inventory, closed_port)
    async with app.run_test(size=(200, 60)) as pilot:
        await feed_loaded(pilot, app)
        await pilot.press("t")
        await pilot.pause()
        # A feed worker that never ends makes this wait time out (TimeoutError fails the test). No check after
        # it: on a slow machine the feed's timer may already have started its next, ordinary read.
        await asyncio.wait_for(app.workers.wait_for_complete(), 60)


async def test_the_problem_list_follows_check_results_as_they_come(tmp_path, closed_port) -> None:
    """Not only every RECOMPUTE_SECONDS: it said "checking" beside a tables pane already all OK."""
    from sites_states import ARIA_CORRUPT, site, sites_inventory

    from cockpit.inventory import load_inventory
    from cockpit.tables.model import TableStatus

    engine = Engine(load_inventory(sites_inventory(tmp_path, closed_port, ["acme"])), read_only=True)
    app = CockpitApp(engine, poll=False, wallboard=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.dashboard
        assert isinstance(screen, WallboardScreen)
        screen.recompute.pause()  # only the results' arrival may bring the list up to date
        await pilot.pause()
        assert "acme  not checked yet on web1" in visible_text(screen.query_one(ProblemList))
        engine.tables.sites["acme"] = site("acme", "web1", {"worker": (TableStatus.CORRUPT, ARIA_CORRUPT)})
        app.sites_feed.deliver()
        await pilot.pause()
        assert "acme  1 corrupt table: worker on web1" in visible_text(screen.query_one(ProblemList))
