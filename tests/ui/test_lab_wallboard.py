"""The wallboard against the real lab: real faults reach the problem list and the
timeline, and nothing can be acted on (needs root)."""

from __future__ import annotations

import re

import pytest
from ui_helpers import settle, visible_text

from cockpit.engine.engine import Engine
from cockpit.inventory import load_inventory
from cockpit.lab import Lab
from cockpit.timeline import Timeline
from screens.app import CockpitApp
from screens.wallboard import WallboardScreen
from widgets.problem_list import ProblemList

pytestmark = [pytest.mark.lab, pytest.mark.usefixtures("healed")]


async def test_real_faults_are_the_wallboards_worst_problems_with_since(lab: Lab, tmp_path) -> None:
    lab.fault("web1", "ro-mount", "/srv")
    lab.fault("web2", "hang-ssh")
    engine = Engine(load_inventory(lab.inventory_path), read_only=True, read_only_reason="--wallboard")
    engine.timeline = Timeline(tmp_path / "timeline.jsonl")
    app = CockpitApp(engine, wallboard=True)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        screen = app.dashboard
        assert isinstance(screen, WallboardScreen)
        screen.refresh_problems()
        await pilot.pause()
        lines = [ln.strip("│ ") for ln in visible_text(screen.query_one(ProblemList)).splitlines()[1:-1]]
        top = [ln for ln in lines if ln.startswith("✗ CRIT")][:2]
        assert any("web2" in ln and "unreachable" in ln for ln in top), lines
        assert any("web1" in ln and "/srv" in ln and "read-only" in ln for ln in top), lines
        assert all(re.search(r"  \d\d:\d\d, ", ln) for ln in top), top  # since when: from the timeline
        assert screen.active == "disks"
    kinds = {(e.kind, e.subject) for e in Timeline(tmp_path / "timeline.jsonl").events()}
    assert {("host.unreachable", "web2"), ("mount.read-only", "web1")} <= kinds
