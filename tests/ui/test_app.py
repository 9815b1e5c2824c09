"""The App against a real Engine: real SSH connection attempts to local ports."""

from __future__ import annotations

from ui_helpers import disk_table, settle, visible_text
from ui_states import mixed_fleet

from cockpit.engine.engine import Engine
from cockpit.engine.summary import summarize
from screens.app import CockpitApp
from screens.help import HelpScreen
from screens.host_detail import HostDetailScreen
from screens.messages import DisksSwept


async def test_starts_and_shows_rows_from_engine_state(make_inventory, closed_port) -> None:
    engine = Engine(make_inventory({"web1": closed_port, "web2": closed_port}))
    app = CockpitApp(engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = disk_table(app)
        assert table.row_count == 2
        assert {table.get_cell(k, "state").plain for k in ("web1\0", "web2\0")} == {"✗ UNREACHABLE"}
        assert "✗ 2 unreachable" in visible_text(app.dashboard.query_one("#fleet-summary"))
        assert "✗ 2 critical  ▲ 0 warning │ swept" in visible_text(app.dashboard.query_one("#fleet-sweep"))


async def test_refresh_pressed_repeatedly_runs_exactly_one_sweep(make_inventory, hung_port) -> None:
    # A host that accepts TCP but never speaks SSH keeps a sweep in flight for connect_timeout.
    engine = Engine(make_inventory({"web1": hung_port}, connect_timeout=3))
    sweeps = 0
    real_sweep = engine.sweep_disks

    async def counting_sweep():  # type: ignore[no-untyped-def]
        nonlocal sweeps
        sweeps += 1
        return await real_sweep()

    engine.sweep_disks = counting_sweep  # type: ignore[method-assign]
    app = CockpitApp(engine)
    async with app.run_test() as pilot:
        await settle(pilot)
        assert sweeps == 1  # the first sweep, at start
        await pilot.press("r", "r", "r", "r")
        await settle(pilot)
        assert sweeps == 2
        assert disk_table(app).get_cell("web1\0", "state").plain == "✗ UNREACHABLE"


async def test_refresh_during_an_automatic_sweep_runs_one_follow_up(make_inventory, hung_port) -> None:
    engine = Engine(make_inventory({"web1": hung_port}, connect_timeout=3))
    sweeps = 0
    real_sweep = engine.sweep_disks

    async def counting_sweep():  # type: ignore[no-untyped-def]
        nonlocal sweeps
        sweeps += 1
        return await real_sweep()

    engine.sweep_disks = counting_sweep  # type: ignore[method-assign]
    app = CockpitApp(engine)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.disk_poller.running  # the automatic first sweep
        await pilot.press("r", "r", "r")
        await settle(pilot)
        assert sweeps == 2
        assert app.disk_poller.runs == 2  # both finished and were shown


async def test_enter_opens_the_detail_of_the_host_under_the_cursor(make_inventory, closed_port) -> None:
    engine = Engine(make_inventory({"web1": closed_port, "web2": closed_port}))
    app = CockpitApp(engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("down")
        wanted = disk_table(app).cursor_group()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HostDetailScreen)
        assert app.screen.host == wanted == "web2"
        text = visible_text(app.screen.query_one("#host-report"))
        assert "127.0.0.1" in text and "UNREACHABLE" in text and "connection refused" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, HostDetailScreen)


async def test_help_lists_the_keys_as_remapped_by_the_inventory(make_inventory, closed_port) -> None:
    engine = Engine(make_inventory({"web1": closed_port}, keys={"refresh": "f5", "help": "f1"}))
    app = CockpitApp(engine, poll=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("question_mark")  # no longer help
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        text = visible_text(app.screen.query_one("#help-keys"))
        refresh_line = next(line for line in text.splitlines() if "Refresh now" in line)
        assert refresh_line.split()[0] == "f5"
        assert any(line.split()[:1] == ["f1"] for line in text.splitlines() if "Help" in line)
        assert "Outage runbook" in visible_text(app.screen.query_one("#help-runbook"))
        await pilot.press("f1")
        assert not isinstance(app.screen, HelpScreen)


async def test_read_only_shows_the_badge(make_inventory, closed_port) -> None:
    engine = Engine(make_inventory({"web1": closed_port}), read_only=True)
    app = CockpitApp(engine, poll=False)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert "READ-ONLY" in visible_text(app.dashboard.query_one("#read-only-badge"))
    writable = CockpitApp(Engine(make_inventory({"web1": closed_port})), poll=False)
    async with writable.run_test() as pilot:
        await pilot.pause()
        assert not writable.dashboard.query("#read-only-badge")


async def test_quit_during_a_hung_sweep_cancels_it_and_closes_the_engine(make_inventory, hung_port) -> None:
    engine = Engine(make_inventory({"web1": hung_port}, connect_timeout=60))
    closed = []
    real_close = engine.close

    async def spy_close():  # type: ignore[no-untyped-def]
        closed.append(True)
        await real_close()

    engine.close = spy_close  # type: ignore[method-assign]
    app = CockpitApp(engine)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.disk_poller.running
        await pilot.press("q")
        await pilot.pause()
    assert closed and app.return_code == 0
    assert engine.last_disk_sweep is None  # the sweep was cancelled, not waited for


async def test_a_failing_sweep_is_a_notification_and_polling_goes_on(make_inventory, closed_port) -> None:
    engine = Engine(make_inventory({"web1": closed_port}))

    async def broken_sweep():  # type: ignore[no-untyped-def]
        raise RuntimeError("engine bug [bold]x[/]")

    engine.sweep_disks = broken_sweep  # type: ignore[method-assign]
    app = CockpitApp(engine)
    notes: list[tuple[str, str, bool]] = []
    app.notify = lambda message, **kw: notes.append((message, kw.get("severity", ""), kw.get("markup", True)))  # type: ignore[method-assign]
    async with app.run_test() as pilot:
        await settle(pilot)
        assert app.is_running
        assert notes == [("the disks poll failed: RuntimeError: engine bug [bold]x[/]", "error", False)]
        assert app.disk_poller.scheduled  # the next poll is on its way
        assert app.disk_poller.runs == 0  # a failed run brought the pane nothing


async def test_a_sweep_that_ends_as_the_app_closes_is_dropped(make_inventory, closed_port) -> None:
    # seen in bench/screenshots.py: a DisksSwept handled after the screens were gone raised IndexError
    app = CockpitApp(Engine(make_inventory({"web1": closed_port})), poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    assert not app.screen_stack
    hosts = mixed_fleet()
    app.on_disks_swept(DisksSwept(hosts, summarize(hosts.values()), None))
