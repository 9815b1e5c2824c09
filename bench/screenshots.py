"""Regenerate the README's screenshots from the real app on the demo lab.

Builds the demo scenario (6 sites per web host), plays the outage, and saves
SVGs (Textual's screenshot facility) into docs/screenshots/:

* ``incident.svg``: the dashboard at the outage's worst (once the Tables pane
  shows every table the RAID damaged), with the demo's side panel;
* ``failover-confirm.svg``: the confirm screen of a failover of web1;
* ``wallboard.svg``: the read-only wallboard;
* ``timeline.svg``: the incident timeline after ``--auto`` recovered web1.

    sudo .venv/bin/python bench/screenshots.py
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from textual.pilot import Pilot

from cockpit import clock
from cockpit.demo import dns_watch, fleet, outage, scenario
from cockpit.demo.story import Story
from cockpit.engine.engine import Engine
from cockpit.engine.hoststate import Reach
from cockpit.inventory import load_inventory
from cockpit.lab import Lab
from cockpit.tables.model import SiteStateName
from cockpit.tables.verdict import verdict
from cockpit.timeline import Timeline
from cockpit.timeline.history import History
from screens.app import CockpitApp
from screens.confirm_action import ConfirmActionScreen
from screens.demo_autopilot import Drill, fly, select_row
from widgets.demo_story import DemoStory

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SITES = 6
SIZE = (200, 50)  # room for the demo's side panel beside the 2x2 grid
CORRUPT_WAIT = 300.0  # seconds for the tables check to reach every damaged table


def damage_shown(app: CockpitApp) -> bool:
    """The Tables pane's checker has found every table the RAID damaged (re-checked every 15 s), and
    every other site checked OK, and every host answers (a check or sweep can time out on a loaded machine)."""
    damaged = outage.corrupt_tables(SITES)
    now = clock.now()
    for name, site in app.engine.tables.sites.items():
        found = verdict(site, now)
        if found.state is not (SiteStateName.CORRUPT if name in damaged else SiteStateName.OK):
            return False
        if not set(damaged.get(name, ())) <= set(found.corrupt):
            return False
    return bool(app.engine.tables.sites) and all(h.reach is Reach.UP for h in app.engine.hosts.values())


async def until_damage_shown(pilot: Pilot[int], app: CockpitApp, shot: str) -> None:
    """Wait until the app shows the outage as it is (on a loaded machine a sweep can time out and show
    hosts down that are not: a screenshot of that would cry wolf)."""
    deadline = time.monotonic() + CORRUPT_WAIT
    while not damage_shown(app) and time.monotonic() < deadline:
        await pilot.pause(1)
    if not damage_shown(app):
        print(f"{shot}: the app does not show exactly the outage after {CORRUPT_WAIT:g} s")
    await pilot.pause(5)  # the panes redrawn


async def shots(lab: Lab, director: scenario.Director) -> None:
    inventory = load_inventory(lab.inventory_path)
    app = CockpitApp(Engine(inventory))
    async with app.run_test(size=SIZE) as pilot:
        await app.dashboard.mount(DemoStory(History.for_inventory(inventory, app.engine.timeline)))
        while not director.outage_done.is_set():
            await pilot.pause(1)
        await until_damage_shown(pilot, app, "incident.svg")
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
        await until_damage_shown(pilot, wall, "wallboard.svg")
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
