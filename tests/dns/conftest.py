"""Fixtures of the DNS tests that use the session lab (its DNS hosts: ns1 primary, ns2, lagging ns3, res1)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from dnslab import a_site

from cockpit.dns.update import replace_site_address
from cockpit.engine.statefile import StateFile
from cockpit.inventory import load_inventory
from cockpit.inventory.model import Inventory, Site
from cockpit.lab import Lab
from cockpit.lab.services.dns_faults import flush_resolvers, retransfer_secondaries


@pytest.fixture
def inv(lab: Lab) -> Inventory:
    if "ns1" not in lab.hosts:  # lab_fleet_spec() gets its DNS hosts with cockpit.lab.dns_fleet.with_dns
        pytest.skip("the session lab has no DNS hosts")
    return load_inventory(lab.inventory_path)


@pytest.fixture
def state(tmp_path: Path) -> StateFile:
    return StateFile(tmp_path / "state.json")


@pytest.fixture
def moved(lab: Lab, inv: Inventory, state: StateFile) -> Iterator[Site]:
    """A site whose name the test moves; put back afterwards (every secondary caught up)."""
    site = a_site(inv)
    yield site
    asyncio.run(replace_site_address(inv, site, host=site.host))
    retransfer_secondaries(lab)
    flush_resolvers(lab)
