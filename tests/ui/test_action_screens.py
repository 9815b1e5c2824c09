"""Pilot tests of the recovery-action screens: the confirm screen (focus on
Cancel, the typed name, the target captured at open) and the read-only refusal
of every action from every UI entry point."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Button, Input, Static
from ui_helpers import disk_table, feed, visible_text
from ui_states import down, healthy, ro_root

from cockpit.actions import registry
from cockpit.actions.model import Check, Plan, StepSpec
from cockpit.actions.targets import TargetKind, resolve
from cockpit.engine.engine import Engine
from cockpit.engine.hoststate import Reach
from cockpit.inventory import load_inventory
from cockpit.lab import Lab
from screens.action_progress import ActionProgressScreen
from screens.app import CockpitApp
from screens.confirm_action import ConfirmActionScreen, Confirmed

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "actions"))
from action_lab import cron_running, ensure_cron, host_out, make_inventory


class Holder(App[None]):
    """Shows a confirm screen and keeps what it returned."""

    def __init__(self, screen: ConfirmActionScreen) -> None:
        super().__init__()
        self.confirm = screen
        self.result: list[Confirmed | None] = []

    def compose(self) -> ComposeResult:
        yield Static("behind")

    def on_mount(self) -> None:
        self.push_screen(self.confirm, self.result.append)


def a_plan(make_inventory, closed_port, *, blocked: bool = False) -> Plan:  # type: ignore[no-untyped-def]
    inv = make_inventory({"web1": closed_port, "web2": closed_port})
    target = resolve(inv, TargetKind.HOST, "web2")
    return Plan("failover-host", target, "Fail over every site of a host", steps=(StepSpec("a step", ("true",)),),
                checks=(Check("standby answers", not blocked, "detail"),))


async def test_confirm_starts_on_cancel_and_escape_cancels(make_inventory, closed_port) -> None:
    app = Holder(ConfirmActionScreen(a_plan(make_inventory, closed_port), title="Fail over host", typed=False,
                                     dry_run=False))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "confirm-cancel"
        assert "host web2" in visible_text(app.screen.query_one("#confirm-identity"))
        await pilot.press("enter")  # Enter on the focused button: Cancel
        await pilot.pause()
    assert app.result == [None]


async def test_a_destructive_action_needs_the_typed_target_name(make_inventory, closed_port) -> None:
    app = Holder(ConfirmActionScreen(a_plan(make_inventory, closed_port), title="Fail over host", typed=True,
                                     dry_run=False))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        run = app.screen.query_one("#confirm-run", Button)
        assert run.disabled
        run.press()
        await pilot.pause()
        assert app.result == []  # a disabled Run does nothing
        app.screen.query_one("#confirm-typed", Input).focus()
        await pilot.press(*"web1")  # the wrong host
        await pilot.pause()
        assert run.disabled
        app.screen.query_one("#confirm-typed", Input).value = ""
        await pilot.press(*"web2")
        await pilot.pause()
        assert not run.disabled
        run.press()
        await pilot.pause()
    assert app.result == [Confirmed(break_stale=False)]


async def test_failed_preconditions_keep_run_disabled(make_inventory, closed_port) -> None:
    app = Holder(ConfirmActionScreen(a_plan(make_inventory, closed_port, blocked=True), title="x", typed=False,
                                     dry_run=False))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#confirm-run", Button).disabled
        assert "preconditions not met" in visible_text(app.screen.query_one("#confirm-blocked"))


async def _wait_screen(pilot, kind, limit: int = 400):  # type: ignore[no-untyped-def]
    for _ in range(limit):
        screen = pilot.app.screen
        if isinstance(screen, kind) and screen.is_mounted and (kind is not ConfirmActionScreen or screen.focused):
            await pilot.pause()
            return screen
        await pilot.pause(0.05)
    raise AssertionError(f"no {kind.__name__} (on {type(pilot.app.screen).__name__})")


@pytest.mark.lab
async def test_the_key_acts_on_the_target_captured_at_open_even_when_rows_reorder(lab: Lab, tmp_path: Path) -> None:
    for h in ("web1", "web2"):
        ensure_cron(lab, h)
    inv = load_inventory(make_inventory(lab, tmp_path))
    app = CockpitApp(Engine(inv), poll=False)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            feed(app, {"web1": healthy("web1"), "web2": ro_root("web2"), "standby1": healthy("standby1")})
            await pilot.pause()
            table = disk_table(app)
            table.move_cursor(row=0)
            assert app.dashboard.disk_pane.selected_host() == "web2"  # the worst host is on top
            await pilot.press("c")  # stop cron
            confirm = await _wait_screen(pilot, ConfirmActionScreen)
            assert confirm.focused is not None and confirm.focused.id == "confirm-cancel"
            # a sweep reorders the rows and the cursor lands on another host
            feed(app, {"web1": down("web1", Reach.UNREACHABLE, "gone"), "web2": healthy("web2"),
                       "standby1": healthy("standby1")})
            await pilot.pause()
            table.move_cursor(row=0)
            await pilot.pause()
            assert app.dashboard.disk_pane.selected_host() == "web1"
            assert "host web2" in visible_text(confirm.query_one("#confirm-identity"))
            confirm.query_one("#confirm-run", Button).press()
            progress = await _wait_screen(pilot, ActionProgressScreen)
            await app.workers.wait_for_complete()
            await pilot.pause()
            run = app.actions.runs[-1]
            assert (run.action, run.target, run.state) == ("stop-cron", "web2", "done"), run.message
            assert "stop-cron web2" in visible_text(progress.query_one("#progress-runs"))
            # leave the progress screen; the run stays listed when it is opened again
            await pilot.press("escape")
            await pilot.press("a")
            progress = await _wait_screen(pilot, ActionProgressScreen)
            assert "done" in visible_text(progress.query_one("#progress-runs"))
        assert not cron_running(lab, "web2") and cron_running(lab, "web1")
    finally:
        ensure_cron(lab, "web2")


@pytest.mark.lab
async def test_read_only_refuses_every_action_from_keys_palette_and_direct_calls(lab: Lab, tmp_path: Path) -> None:
    ensure_cron(lab, "web1")
    host_out(lab, "web1", "rm -rf /run/cockpit")
    inv = load_inventory(make_inventory(lab, tmp_path, '\n[[sites]]\nname = "s1"\nhost = "web1"\n'
                                                       'maintenance_on = ["touch /run/ro-proof"]\n'))
    app = CockpitApp(Engine(inv, read_only=True), poll=False)
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        app.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
        feed(app, {"web1": ro_root("web1"), "web2": healthy("web2"), "standby1": healthy("standby1")})
        await pilot.pause()
        palette = {c.title for c in app.get_system_commands(app.screen)}
        for action in registry.actions().values():
            from cockpit import keymap

            kd = keymap.default_for(action.binding)
            assert kd.description not in palette
            await pilot.press(app.keys[action.binding])  # the key: hidden, does nothing
            await pilot.pause()
            assert isinstance(app.screen, type(app.dashboard))
            app.start_action(action.name)  # past the UI's hiding: the engine's gate refuses
            await pilot.pause()
            assert notes and f"refused {action.name}" in notes[-1]
        await app.workers.wait_for_complete()
    assert cron_running(lab, "web1")
    assert host_out(lab, "web1", "ls /run/cockpit /run/ro-proof 2>/dev/null") == ""
    assert not (tmp_path / "audit.jsonl").exists()


@pytest.mark.lab
async def test_dry_run_shows_the_plan_and_executes_nothing(lab: Lab, tmp_path: Path) -> None:
    ensure_cron(lab, "web2")
    engine = Engine(load_inventory(make_inventory(lab, tmp_path)))
    engine.gate.enable_dry_run()
    app = CockpitApp(engine, poll=False)
    notes: list[str] = []
    async with app.run_test(size=(120, 40)) as pilot:
        app.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
        feed(app, {"web1": healthy("web1"), "web2": ro_root("web2"), "standby1": healthy("standby1")})
        await pilot.pause()
        disk_table(app).move_cursor(row=0)
        await pilot.press("c")
        confirm = await _wait_screen(pilot, ConfirmActionScreen)
        assert "DRY RUN" in visible_text(confirm.query_one("#confirm-dry-run"))
        assert "/etc/init.d/cron stop" in visible_text(confirm.query_one("#confirm-plan-text"))
        confirm.query_one("#confirm-run", Button).press()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("dry run: stop-cron on web2 was planned, nothing was executed" in n for n in notes), notes
    assert cron_running(lab, "web2")
    assert not (tmp_path / "audit.jsonl").exists()


async def test_an_action_key_remapped_in_the_inventory_opens_its_confirm_screen(make_inventory, closed_port) -> None:
    app = CockpitApp(Engine(make_inventory({"web1": closed_port}, keys={"stop_cron": "z"})), poll=False)
    async with app.run_test(size=(120, 40)) as pilot:
        feed(app, {"web1": down("web1", Reach.UNREACHABLE, "refused")})
        await pilot.pause()
        disk_table(app).move_cursor(row=0)
        await pilot.press("z")
        confirm = await _wait_screen(pilot, ConfirmActionScreen)
        assert "host web1" in visible_text(confirm.query_one("#confirm-identity"))
        # the host cannot be reached: the plan says so and Run stays disabled
        assert confirm.query_one("#confirm-run", Button).disabled
        assert "FAIL web1 answers over SSH" in visible_text(confirm.query_one("#confirm-plan-text"))
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmActionScreen)
        assert app.actions.runs == []  # cancelled: nothing ran


async def test_quitting_while_an_action_runs_needs_a_second_q(make_inventory, closed_port) -> None:
    app = CockpitApp(Engine(make_inventory({"web1": closed_port})), poll=False)
    notes: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        app.notify = lambda message, **kw: notes.append(str(message))  # type: ignore[method-assign]
        await pilot.pause()
        running = a_plan(make_inventory, closed_port)
        from cockpit.actions.model import ActionRun, RunState

        app.actions.runs.append(ActionRun(running, state=RunState.RUNNING))
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running and any("still running (failover-host web2)" in n for n in notes)
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code == 0
