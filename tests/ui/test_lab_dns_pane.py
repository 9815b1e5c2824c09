"""The DNS pane against the lab's real BIND servers (needs root)."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from cockpit.engine.engine import Engine
from cockpit.inventory import load_inventory
from cockpit.lab import Lab
from screens.app import CockpitApp
from widgets.dns_pane import DnsPane

pytestmark = [pytest.mark.lab, pytest.mark.usefixtures("healed")]


async def _dns_sweep(pilot: Pilot[int]) -> DnsPane:
    app = pilot.app
    assert isinstance(app, CockpitApp)
    await pilot.pause()
    app.dns_feed.poller.refresh_now()
    for _ in range(100):
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not app.dns_feed.poller.busy:
            break
    return app.dashboard.query_one(DnsPane)


async def test_a_stopped_nameserver_shows_as_no_answer_and_the_site_row_names_it(lab: Lab) -> None:
    if "ns1" not in lab.hosts:
        pytest.skip("the session lab has no DNS hosts")
    lab.fault("ns2", "stop-dns")
    app = CockpitApp(Engine(load_inventory(lab.inventory_path)), poll=False)
    async with app.run_test(size=(200, 60)) as pilot:
        pane = await _dns_sweep(pilot)
        assert pane.report is not None and pane.report.sites
        rows = [pane.table.get_row_at(i) for i in range(pane.table.row_count)]
        assert len(rows) == len(pane.report.sites)
        for row in rows:
            assert row[2].plain == "✓?✓"  # ns1 agrees, ns2 does not answer, ns3 agrees
            assert row[-1].plain == "ns2: timeout"
        assert pane.headline().plain == f"▲ {len(rows)}"  # every site a warning: not fully propagated
