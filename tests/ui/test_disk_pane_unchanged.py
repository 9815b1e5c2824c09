"""A sweep where no host changed (the engine keeps unchanged disk reports) costs the disk pane no render."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from ui_helpers import disk_table, feed
from ui_states import CHECKED, filling, mixed_fleet

from cockpit.engine.engine import Engine
from screens.app import CockpitApp
from widgets.disk_pane import DiskPane


@pytest.fixture
def app(make_inventory, closed_port) -> CockpitApp:
    return CockpitApp(Engine(make_inventory({"web1": closed_port})), poll=False)


async def test_only_a_sweep_that_changed_something_renders(app: CockpitApp, monkeypatch: pytest.MonkeyPatch) -> None:
    renders: list[int] = []
    real = DiskPane.render_state

    def counted(self: DiskPane) -> None:
        renders.append(1)
        real(self)

    monkeypatch.setattr(DiskPane, "render_state", counted)
    async with app.run_test(size=(200, 60)) as pilot:
        fleet = mixed_fleet()
        feed(app, fleet)
        await pilot.pause()
        before = len(renders)
        assert before and disk_table(app).row_count > 1
        later = CHECKED + timedelta(seconds=5)
        feed(app, {n: replace(h, checked_at=later) for n, h in fleet.items()}, later)  # same reports, newer time
        await pilot.pause()
        assert len(renders) == before
        name = next(iter(fleet))
        feed(app, {**fleet, name: replace(filling(name), checked_at=later)}, later)  # one host's report changed
        await pilot.pause()
        assert len(renders) == before + 1
