"""The demo scenario, reproducible: build the fleet (:mod:`cockpit.demo.fleet`),
give its sites days of work after the backup (:mod:`cockpit.demo.activity`),
then play the outage (:mod:`cockpit.demo.outage`), each phase posted to the
incident timeline (source ``scenario``) so the audience can follow.

``build`` only builds; ``Director`` plays the phases (at a watchable pace, or
at once with ``pace=0``) and, after web1's sites have failed over, lets the
lagging secondary's daily refresh come round (compressed to ``lag`` seconds).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from cockpit import clock, paths
from cockpit.demo import activity, fleet, outage
from cockpit.demo.defaults import DEFAULT_DIR, DEFAULT_SITES, DEFAULT_TTL
from cockpit.demo.story import Story
from cockpit.inventory.model import Inventory
from cockpit.lab import Lab, LabError
from cockpit.lab.services import mariadb_conf
from cockpit.lab.services.mariadb import run_sql

Echo = Callable[[str], None]


def demo_dir() -> Path:
    return Path(os.environ.get("COCKPIT_DEMO_DIR") or DEFAULT_DIR)


def build(lab: Lab, echo: Echo, *, sites: int = DEFAULT_SITES, ttl: int = DEFAULT_TTL, bwlimit_kbps: int = 0) -> Path:
    """Build the demo lab from scratch, before the outage; returns its inventory path. ``bwlimit_kbps``:
    imports slowed to be watched (0, for the tests and the time-to-recover bench: full speed)."""
    lab.up(fleet.fleet_spec(sites, ttl=ttl, bwlimit_kbps=bwlimit_kbps), echo=echo)
    copy_backups(lab, sites)
    echo(f"backups: {len(fleet.all_sites(sites))} per-site dumps on {fleet.BACKUP} (last Sunday's)")
    for host in fleet.WEB_HOSTS:
        for site in fleet.site_names(host, sites):
            run_sql(lab.handle(host), activity.activity_sql(site))
    echo(f"activity: {activity.DAYS} days of tickets, messages and mail on every site since the backup")
    return lab.inventory_path


def set_aside_previous_run(inventory: Inventory, echo: Echo) -> Path | None:
    """A rebuilt demo lab is a new incident, but its inventory has the same path, hence the same
    state dir: the previous run's audit, timeline and site placements (sites already failed over)
    would mix into this one. They are moved aside, never deleted; returns where to."""
    current = paths.state_dir(inventory)
    if not any(current.iterdir()):
        return None
    aside = current.with_name(f"{current.name}.before-{clock.now():%Y%m%dT%H%M%S}")
    current.rename(aside)
    echo(f"the previous demo run's audit, timeline and state are kept in {aside}")
    return aside


def copy_backups(lab: Lab, sites: int) -> None:
    """The web hosts' dumps (taken at lab up, before any activity) onto backup1."""
    dest = lab.handle(fleet.BACKUP).path(mariadb_conf.BACKUP_DIR)
    dest.mkdir(parents=True, exist_ok=True)
    for host in fleet.WEB_HOSTS:
        src = lab.handle(host).path(mariadb_conf.BACKUP_DIR)
        for site in fleet.site_names(host, sites):
            (dest / f"{site}.sql").write_bytes((src / f"{site}.sql").read_bytes())


def break_now(lab: Lab, echo: Echo, story: Story | None, sites: int) -> None:
    """Every phase at once (``--no-ui``, tests)."""
    for phase in outage.phases(sites):
        play(lab, phase, echo, story)


def play(lab: Lab, phase: outage.Phase, echo: Echo, story: Story | None) -> None:
    if story is not None:
        story.phase(phase)
    for f in phase.faults:
        if f.heal:
            lab.heal(f.host, f.kind)
            echo(f"healed: {f.host} {f.kind}")
        else:
            echo(f"fault: {lab.fault(f.host, f.kind, *f.args)}")


class Director(threading.Thread):
    """Plays the outage in the background while the cockpit runs."""

    def __init__(self, lab: Lab, story: Story | None, *, sites: int, pace: float, lag: float, echo: Echo,
                 first_delay: float | None = None) -> None:
        super().__init__(name="demo-director", daemon=True)
        self.lab, self.story, self.sites, self.pace, self.lag, self.echo = lab, story, sites, pace, lag, echo
        self.first_delay = pace if first_delay is None else first_delay
        self.stopping = threading.Event()
        self.error: str | None = None
        self.outage_done = threading.Event()

    def stop(self) -> None:
        self.stopping.set()

    def run(self) -> None:
        try:
            delay = self.first_delay
            for phase in outage.phases(self.sites):
                if self.stopping.wait(delay):
                    return
                play(self.lab, phase, self.echo, self.story)
                delay = self.pace
            self.outage_done.set()
            self._lagging_catch_up()
        except LabError as e:
            self.error = str(e)
            self.echo(f"scenario stopped: {e}")

    def _lagging_catch_up(self) -> None:
        from cockpit.demo import dns_watch

        while not self.stopping.wait(1.0):
            if dns_watch.primary_points_all_to(self.lab, outage.HOST, self.sites, fleet.STANDBY):
                break
        if self.stopping.wait(self.lag):
            return
        if self.story is not None:  # told first: the refresh may be seen (and the drill end) at once
            self.story.note("lagging-refresh", "ns3", "the lagging secondary ns3's daily zone refresh comes round "
                                                       f"(compressed to {self.lag:g} s in the lab)")
        dns_watch.lagging_refresh(self.lab)
        self.echo("ns3 refreshed its zone")


def wait_for(cond: Callable[[], bool], timeout: float, step: float = 0.5) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(step)
    return cond()
