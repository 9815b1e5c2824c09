"""A long-lived cockpit freezes what it built by the end of its first sweep, once (screens/gc_freeze.py)."""

from __future__ import annotations

import gc

import pytest
from ui_helpers import feed
from ui_states import mixed_fleet

from cockpit.engine.engine import Engine
from screens import gc_freeze
from screens.app import CockpitApp


@pytest.fixture
def freezes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """gc.freeze and gc.collect counted, not done: a real freeze would keep this test process's garbage."""
    calls: list[str] = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(gc, "collect", lambda *a: calls.append("collect") or 0)
    monkeypatch.setattr(gc_freeze, "_policy", gc_freeze._Policy())
    return calls


@pytest.fixture
def app(make_inventory, closed_port) -> CockpitApp:
    return CockpitApp(Engine(make_inventory({"web1": closed_port})), poll=False)


async def test_an_enabled_cockpit_freezes_once_after_its_first_sweep(app: CockpitApp, freezes: list[str]) -> None:
    gc_freeze.enable()
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        assert freezes == []  # the state before any sweep is shown without it
        feed(app, mixed_fleet())  # a finished sweep
        await pilot.pause()
        assert freezes == ["collect", "freeze"]  # garbage freed first, then the rest frozen
        feed(app, mixed_fleet())
        await pilot.pause()
        assert freezes == ["collect", "freeze"]  # never again: later sweeps' objects stay collectable


async def test_without_enable_nothing_is_frozen(app: CockpitApp, freezes: list[str]) -> None:
    async with app.run_test(size=(200, 60)) as pilot:
        feed(app, mixed_fleet())
        await pilot.pause()
        assert "freeze" not in freezes
