"""Read-only: the badge, and recovery-action bindings hidden from footer,
help and command palette (the engine's gate is what refuses them)."""

from __future__ import annotations

from typing import ClassVar

import pytest
from textual.binding import BindingType
from ui_helpers import visible_text

from cockpit import keymap
from cockpit.engine.engine import Engine
from cockpit.keymap import KeyDef
from screens.app import CockpitApp
from screens.help import HelpScreen
from widgets.bindings import bind, shown

STOP_CRON = KeyDef("stop_cron", "x", "Stop cron", action=True)


def test_only_action_bindings_are_hidden_and_only_in_read_only() -> None:
    quit_key = keymap.default_for("quit")
    assert shown(quit_key, read_only=True) and shown(quit_key, read_only=False)
    assert shown(STOP_CRON, read_only=False)
    assert not shown(STOP_CRON, read_only=True)


@pytest.mark.parametrize("read_only", [False, True])
async def test_an_action_binding_is_offered_only_when_not_read_only(
        read_only: bool, monkeypatch: pytest.MonkeyPatch, make_inventory, closed_port) -> None:
    # A stand-in for the recovery actions later issues add (KeyDef.action=True).
    monkeypatch.setitem(keymap._BY_ID, STOP_CRON.id, STOP_CRON)
    monkeypatch.setattr(keymap, "DEFAULT_KEYS", (*keymap.DEFAULT_KEYS, STOP_CRON))
    pressed: list[str] = []

    class WithAction(CockpitApp):
        BINDINGS: ClassVar[list[BindingType]] = [*CockpitApp.BINDINGS, bind("stop_cron", "stop_cron")]

        def action_stop_cron(self) -> None:
            pressed.append("x")

    app = WithAction(Engine(make_inventory({"web1": closed_port}), read_only=read_only), poll=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        footer_ids = {a.binding.id for a in app.screen.active_bindings.values()}
        palette = [c.title for c in app.get_system_commands(app.screen)]
        assert ("stop_cron" in footer_ids) is not read_only
        assert ("Stop cron" in palette) is not read_only
        assert "Refresh now" in palette or "Refresh" in palette
        # screens and widgets defer to the App's rule
        assert app.dashboard.check_action("stop_cron", ()) is not read_only
        await pilot.press("x")
        assert pressed == ([] if read_only else ["x"])
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        assert ("Stop cron" in visible_text(app.screen.query_one("#help-keys"))) is not read_only
