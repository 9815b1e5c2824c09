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
    monkeypatch.setattr(gc, "unfreeze", lambda: calls.append("unfreeze"))
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
        assert freezes == ["unfreeze", "collect", "freeze"]  # garbage freed first, then the rest frozen
        feed(app, mixed_fleet())
        await pilot.pause()
        assert freezes == ["unfreeze", "collect", "freeze"]  # not again while no connection ended


async def test_without_enable_nothing_is_frozen(app: CockpitApp, freezes: list[str]) -> None:
    async with app.run_test(size=(200, 60)) as pilot:
        feed(app, mixed_fleet())
        await pilot.pause()
        assert "freeze" not in freezes


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(gc_freeze.time, "monotonic", c)
    return c


def test_ended_connections_are_collected_by_a_new_freeze_at_most_every_few_minutes(
        freezes: list[str], clock: Clock) -> None:
    """A connection frozen alive and ended later (its host hung) is a cycle no collection sees: the
    policy thaws, collects and freezes again, once connections ended and REFREEZE_AFTER has passed."""
    gc_freeze.enable()
    assert gc_freeze.after_sweep(ended=0)  # the first sweep: frozen
    freezes.clear()
    clock.now += gc_freeze.REFREEZE_AFTER * 3
    assert not gc_freeze.after_sweep(ended=0)  # a healthy fleet: no full collection, however long
    assert freezes == []
    assert gc_freeze.after_sweep(ended=2)  # two connections ended since: collected, and the rest frozen
    assert freezes == ["unfreeze", "collect", "freeze"]
    freezes.clear()
    assert not gc_freeze.after_sweep(ended=3)  # another ended at once: it waits for its turn
    clock.now += gc_freeze.REFREEZE_AFTER - 1
    assert not gc_freeze.after_sweep(ended=3)
    assert freezes == []
    clock.now += 1
    assert gc_freeze.after_sweep(ended=3)
    assert freezes == ["unfreeze", "collect", "freeze"]
    clock.now += gc_freeze.REFREEZE_AFTER * 10
    assert not gc_freeze.after_sweep(ended=3)  # nothing ended since that freeze
