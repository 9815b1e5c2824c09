"""The dashboard against the real lab: real sshd, real faults (needs root)."""

from __future__ import annotations

import pytest
from ui_helpers import disk_table, settle, visible_text

from cockpit.engine.engine import Engine
from cockpit.inventory import load_inventory
from cockpit.lab import Lab
from screens.app import CockpitApp

pytestmark = [pytest.mark.lab, pytest.mark.usefixtures("healed")]


async def test_a_hung_host_and_a_read_only_mount_are_at_the_top_in_red(lab: Lab) -> None:
    lab.fault("web1", "ro-mount", "/srv")
    lab.fault("web2", "hang-ssh")
    app = CockpitApp(Engine(load_inventory(lab.inventory_path)))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        table = disk_table(app)
        top = [(row[0].plain, row[1].plain, row[2].plain) for row in (table.get_row_at(i) for i in range(2))]
        assert top[0] == ("web2", "—", "✗ UNREACHABLE")
        assert top[1] == ("web1", "/srv", "✗ CRIT")
        assert "read-only" in table.get_row_at(1)[-1].plain
        rest = {table.get_row_at(i)[0].plain for i in range(2, table.row_count)}
        assert "standby1" in rest
        summary = visible_text(app.dashboard.query_one("#fleet-summary"))
        assert "✗ 1 unreachable" in summary
