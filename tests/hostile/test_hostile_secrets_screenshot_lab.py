"""The TUI on the lab (real sweeps: MySQL CHECKs with the lab's password, DNS):
its screenshots (SVG, what `cockpit` saves on ctrl+s / snapshot tests compare)
hold neither the MySQL password nor the TSIG secret."""

from __future__ import annotations

import asyncio
import re

import pytest

from cockpit.engine.engine import Engine
from cockpit.inventory import load_inventory
from cockpit.lab import Lab
from cockpit.lab.services import mariadb_conf
from cockpit.lab.services.dns_bind import tsig_key_path
from screens.app import CockpitApp

pytestmark = [pytest.mark.lab]


async def test_screenshots_of_a_running_cockpit_hold_no_secret(lab: Lab) -> None:
    tsig = re.search(r'secret\s+"([^"]+)"', tsig_key_path(lab).read_text())
    assert tsig is not None
    secrets = {"MySQL password": mariadb_conf.lab_password(lab.dir), "TSIG secret": tsig.group(1)}
    app = CockpitApp(Engine(load_inventory(lab.inventory_path)))
    shots: list[str] = []
    async with app.run_test(size=(200, 60)) as pilot:
        for _ in range(600):  # a safety net only: until the sites pane shows checked sites
            await pilot.pause(0.1)
            svg = app.export_screenshot()
            if "acme" in svg and "globex" in svg:
                break
        await asyncio.sleep(0)
        shots.append(app.export_screenshot())
        await pilot.press("question_mark")  # the help screen, then back
        await pilot.pause(0.2)
        shots.append(app.export_screenshot())
    assert "acme" in shots[0]
    for what, secret in secrets.items():
        for svg in shots:
            assert secret not in svg, f"the {what} is in a screenshot"
