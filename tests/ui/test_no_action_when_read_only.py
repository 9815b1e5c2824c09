"""--read-only and --wallboard: not one action binding anywhere (footer, palette,
help, any screen), for EVERY action id in cockpit.keymap, present and future."""

from __future__ import annotations

from typing import ClassVar

import pytest
from textual.binding import Binding, BindingType
from ui_helpers import visible_text

from cockpit import keymap
from cockpit.engine.engine import Engine
from cockpit.keymap import KeyDef
from cockpit.paths import audit_path
from screens.app import CockpitApp
from screens.help import HelpScreen
from screens.timeline import TimelineScreen
from widgets.bindings import bind

STAND_IN = KeyDef("stand_in_action", "x", "Stand-in recovery action", action=True)


def action_keys() -> list[KeyDef]:
    return [k for k in keymap.DEFAULT_KEYS if k.action]


@pytest.fixture
def with_stand_in(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """A stand-in action next to the real ones, so this test fails if hiding breaks even before
    any real action exists. Returns what the stand-in recorded when pressed."""
    monkeypatch.setitem(keymap._BY_ID, STAND_IN.id, STAND_IN)
    monkeypatch.setattr(keymap, "DEFAULT_KEYS", (*keymap.DEFAULT_KEYS, STAND_IN))
    return []


def make_app(make_inventory, port: int, pressed: list[str], *, read_only: bool, wallboard: bool) -> CockpitApp:
    class WithStandIn(CockpitApp):
        BINDINGS: ClassVar[list[BindingType]] = [*CockpitApp.BINDINGS, bind(STAND_IN.id, "stand_in")]

        def action_stand_in(self) -> None:
            pressed.append("pressed")

    engine = Engine(make_inventory({"web1": port}), read_only=read_only or wallboard)
    return WithStandIn(engine, poll=False, wallboard=wallboard)


def offered(app: CockpitApp) -> tuple[set[str], set[str]]:
    """Binding ids active on the current screen (what the footer draws from) and palette titles."""
    ids = {a.binding.id for a in app.screen.active_bindings.values() if a.binding.id and a.enabled}
    titles = {c.title for c in app.get_system_commands(app.screen)}
    return ids, titles


@pytest.mark.parametrize("mode", ["read-only", "wallboard"])
async def test_no_action_is_offered_or_runs_on_any_screen(mode: str, with_stand_in: list[str], make_inventory,
                                                        closed_port) -> None:
    app = make_app(make_inventory, closed_port, with_stand_in, read_only=True, wallboard=mode == "wallboard")
    actions = action_keys()
    assert STAND_IN in actions
    audit = audit_path(app.engine.inventory)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for open_screen in (None, "question_mark", "t"):
            if open_screen:
                await pilot.press(open_screen)
                await pilot.pause()
            ids, titles = offered(app)
            for kd in actions:
                assert kd.id not in ids, f"{kd.id} offered on {type(app.screen).__name__}"
                assert kd.description not in titles, f"{kd.description} in the palette"
            if isinstance(app.screen, HelpScreen):
                help_text = visible_text(app.screen.query_one("#help-keys"))
                assert not [kd.id for kd in actions if kd.description in help_text]
            if isinstance(app.screen, TimelineScreen):
                await pilot.press("t")  # back to the dashboard or wallboard
            elif open_screen:
                await pilot.press("escape")
        stack = list(app.screen_stack)
        for kd in actions:
            await pilot.press(app.keys[kd.id].split(",")[0])
            await pilot.pause()
            assert list(app.screen_stack) == stack, f"{kd.id} opened something"
        # Even run by name (as a palette or a script could), no action binding does anything.
        by_id = {b.id: b.action for b in app.BINDINGS if isinstance(b, Binding) and b.id}
        assert STAND_IN.id in by_id  # (an action id with no binding at all is offered nowhere anyway)
        for kd in (kd for kd in actions if kd.id in by_id):
            await app.run_action(by_id[kd.id])
            await pilot.pause()
            assert list(app.screen_stack) == stack, f"{by_id[kd.id]} opened something"
    assert with_stand_in == []
    assert not audit.exists() or "action-start" not in audit.read_text()


async def test_the_same_check_offers_actions_when_not_read_only(with_stand_in: list[str], make_inventory,
                                                                 closed_port) -> None:
    # The other side of the test above: it would notice an action binding that shows.
    app = make_app(make_inventory, closed_port, with_stand_in, read_only=False, wallboard=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        ids, titles = offered(app)
        assert STAND_IN.id in ids and STAND_IN.description in titles
        await pilot.press("x")
        assert with_stand_in == ["pressed"]
