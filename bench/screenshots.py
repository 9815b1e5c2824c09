"""Regenerate the README's screenshots from the real app on the demo lab.

Builds the demo scenario (6 sites per web host), plays the outage, and saves
SVGs (Textual's screenshot facility) into docs/screenshots/:

* ``incident.svg``: the dashboard at the outage's worst;
* ``failover-confirm.svg``: the confirm screen of a failover of web1;
* ``wallboard.svg``: the read-only wallboard;
* ``timeline.svg``: the incident timeline after ``--auto`` recovered web1.

    sudo .venv/bin/python bench/screenshots.py
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from cockpit.demo import dns_watch, fleet, outage, scenario
from cockpit.demo.story import Story
from cockpit.engine.engine import Engine
from cockpit.inventory import load_inventory
from cockpit.lab import Lab
from cockpit.timeline import Timeline
from screens.app import CockpitApp
from screens.confirm_action import ConfirmActionScreen
from screens.demo_autopilot import Drill, fly, select_row

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SITES = 6
SIZE = (160, 45)


async def shots(lab: Lab, director: scenario.Director) -> None:
    inventory = load_inventory(lab.inventory_path)
    app = CockpitApp(Engine(inventory))
    async with app.run_test(size=SIZE) as pilot:
        while not director.outage_done.is_set():
            await pilot.pause(1)
        await pilot.pause(25)  # a few sweeps: every pane has seen the outage
        app.save_screenshot("incident.svg", str(OUT))
        await pilot.press("1")
        drill = Drill(outage.HOST, fleet.site_names(outage.HOST, SITES), pause=0, timeout=120)
        await select_row(pilot, drill, "host", outage.HOST)
        await pilot.press("F")
        while not isinstance(app.screen, ConfirmActionScreen):
            await pilot.pause(0.2)
        await pilot.pause(1)
        app.save_screenshot("failover-confirm.svg", str(OUT))
        await pilot.press("escape")
    wall = CockpitApp(Engine(inventory, read_only=True, read_only_reason="--wallboard"), wallboard=True)
    async with wall.run_test(size=SIZE) as pilot:
        await pilot.pause(20)
        wall.save_screenshot("wallboard.svg", str(OUT))
    app = CockpitApp(Engine(inventory))
    drill = Drill(outage.HOST, fleet.site_names(outage.HOST, SITES), pause=0, timeout=900,
                  dns_settled=lambda: not dns_watch.wrong_answers(lab, outage.HOST, SITES, fleet.STANDBY))
    async with app.run_test(size=SIZE) as pilot:
        await fly(pilot, drill)
        await pilot.press("escape", "t")
        await pilot.pause(3)
        app.save_screenshot("timeline.svg", str(OUT))


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    lab = Lab(Path(tempfile.mkdtemp(prefix="cockpit-lab-test-shots-", dir="/tmp")))
    try:
        scenario.build(lab, echo=print, sites=SITES, ttl=5)
        timeline = Timeline.for_inventory(load_inventory(lab.inventory_path))
        director = scenario.Director(lab, Story(timeline), sites=SITES, pace=10, first_delay=5, lag=5, echo=print)
        director.start()
        asyncio.run(shots(lab, director))
        director.stop()
        director.join(timeout=30)
    finally:
        lab.down(echo=print)
    print(f"screenshots in {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
