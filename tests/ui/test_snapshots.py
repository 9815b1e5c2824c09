"""Snapshot tests (pytest-textual-snapshot): time frozen, state fed as a sweep would.

Regenerate with ``pytest tests/ui/test_snapshots.py --snapshot-update`` and
review the SVGs by eye before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable

import pytest
from textual.pilot import Pilot
from ui_helpers import feed
from ui_states import mixed_fleet

from cockpit.engine.engine import Engine
from screens.app import CockpitApp

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((200, 60), id="200x60")]
Before = Callable[[Pilot[int]], Awaitable[None]]


@pytest.fixture
def make_app(make_inventory, closed_port, frozen_clock) -> Callable[..., CockpitApp]:
    def make(*, read_only: bool = False) -> CockpitApp:
        engine = Engine(make_inventory({"web1": closed_port}), read_only=read_only)
        return CockpitApp(engine, poll=False)

    return make


def fleet_then(keys: Iterable[str] = ()) -> Before:
    async def run_before(pilot: Pilot[int]) -> None:
        assert isinstance(pilot.app, CockpitApp)
        await pilot.pause()
        feed(pilot.app, mixed_fleet())
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_dashboard_with_healthy_critical_and_unreachable_hosts(snap_compare, make_app, size) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=fleet_then())


@pytest.mark.parametrize("size", SIZES)
def test_host_detail_of_a_host_with_a_read_only_root(snap_compare, make_app, size) -> None:
    # db1 and web3 (down) sort first; web1 (critical) is the third row.
    assert snap_compare(make_app(), terminal_size=size, run_before=fleet_then(["down", "down", "enter"]))


@pytest.mark.parametrize("size", SIZES)
def test_help_with_keys_and_runbook(snap_compare, make_app, size) -> None:
    assert snap_compare(make_app(), terminal_size=size, run_before=fleet_then(["question_mark"]))


@pytest.mark.parametrize("size", SIZES)
def test_read_only_dashboard(snap_compare, make_app, size) -> None:
    assert snap_compare(make_app(read_only=True), terminal_size=size, run_before=fleet_then())


def test_narrow_terminal_on_the_tables_pane(snap_compare, make_app) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=fleet_then(["2"]))


def test_no_color_keeps_every_state_readable(snap_compare, make_app, monkeypatch) -> None:
    """NO_COLOR (Textual's monochrome filter): symbols and words carry the meaning, not colour."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    assert app.no_color
    assert snap_compare(app, terminal_size=(80, 24), run_before=fleet_then())
