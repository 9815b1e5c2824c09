"""The outage, end to end (issue #7), CI-sized: the scenario breaks web1 for
real, the pilot presses the keys of the runbook through the real UI, and the
final truth is read from the lab itself, never from the cockpit's view."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from lab_fixture import lab_unavailable, new_lab_dir

from cockpit.audit.log import read_records
from cockpit.demo import activity, dns_watch, fleet, outage, scenario, truth
from cockpit.demo.story import Story, scenario_events
from cockpit.engine.engine import Engine
from cockpit.inventory import load_inventory
from cockpit.lab import Lab
from cockpit.paths import audit_path
from cockpit.timeline import Timeline
from screens.app import CockpitApp
from screens.demo_autopilot import Drill, fly

pytestmark = pytest.mark.lab
SITES = 6
TTL = 5


@pytest.fixture(scope="module")
def drill_lab() -> Iterator[Lab]:
    reason = lab_unavailable()
    if reason:
        pytest.skip(reason)
    lab = Lab(new_lab_dir("drill-"))
    try:
        scenario.build(lab, echo=lambda m: None, sites=SITES, ttl=TTL)
        yield lab
    finally:
        lab.down(echo=lambda m: None)


async def test_the_runbook_pressed_through_the_ui_recovers_every_web1_site(drill_lab: Lab) -> None:
    lab = drill_lab
    inventory = load_inventory(lab.inventory_path)
    timeline = Timeline.for_inventory(inventory)
    web1_sites = list(fleet.site_names("web1", SITES))
    damaged = outage.corrupt_tables(SITES)
    sound_live = {s: _sound_checksums(lab, s, damaged.get(s, ())) for s in web1_sites}  # before any fault
    director = scenario.Director(lab, Story(timeline), sites=SITES, pace=0, first_delay=0, lag=1.0,
                                 echo=lambda m: None)
    director.start()
    log: list[str] = []
    drill = Drill("web1", web1_sites, outage_over=director.outage_done.is_set,
                  dns_settled=lambda: not dns_watch.wrong_answers(lab, "web1", SITES, fleet.STANDBY),
                  pause=0, timeout=300, log=log.append,
                  recovered=lambda s: Story(timeline).recovered("web1", fleet.STANDBY, len(web1_sites), s))
    app = CockpitApp(Engine(inventory))
    try:
        async with app.run_test(size=(200, 60)) as pilot:
            await fly(pilot, drill)
    finally:
        director.stop()
        director.join(timeout=30)
    assert director.error is None

    # every web1 site resolves to standby1 on every server (ns1, ns2, the lagging ns3, the resolver)
    assert dns_watch.wrong_answers(lab, "web1", SITES, fleet.STANDBY) == []
    for site in web1_sites:
        names = truth.tables(lab, fleet.STANDBY, site)
        assert set(names) >= set(truth.tables(lab, "web1", site)), site  # standby1 holds the database
        bad = damaged.get(site, ())
        # sound tables: the live source's checksum; their rows newer than the backup are all there
        got = truth.checksums(lab, fleet.STANDBY, site, sorted(sound_live[site]))
        assert got == sound_live[site], site
        for table in activity.NEW_ROW_TABLES:
            if table not in bad:
                assert truth.count_from(lab, fleet.STANDBY, site, table, activity.FIRST_NEW_ID) == \
                    activity.new_rows(table), (site, table)
        # corrupt tables: the backup's checksum; still on web1 (never dropped)
        if bad:
            assert truth.checksums(lab, fleet.STANDBY, site, list(bad)) == \
                truth.backup_checksums(lab, site, list(bad)), site
            assert set(bad) <= set(truth.tables(lab, "web1", site)), site
    # every /storage tree identical to backup1's copy (imports run detached: wait for them to land)
    for _ in range(300):
        if not any(truth.storage_differences(lab, s) for s in web1_sites):
            break
        await asyncio.sleep(2)
    assert [d for s in web1_sites for d in truth.storage_differences(lab, s)] == []

    # the audit holds every step, in order; the timeline each phase of the outage
    ended = [(r["action"], r["target"]) for r in read_records(audit_path(inventory))
             if r.get("kind") == "action-end" and r.get("result") == "done"]
    wanted = [("stop-cron", "web1"), *[("move-database", s) for s in web1_sites], ("failover-host", "web1"),
              *[("import-start", s) for s in web1_sites]]
    assert [e for e in ended if e in wanted] == wanted, ended
    assert {("failover-site", s) for s in web1_sites} <= set(ended)
    steps = [str(e.evidence.get("step")) for e in scenario_events(Timeline.for_inventory(inventory))]
    assert steps == [*(p.key for p in outage.phases(SITES)), "lagging-refresh", "recovered"]


def _sound_checksums(lab: Lab, site: str, bad: tuple[str, ...]) -> dict[str, str]:
    names = [t for t in truth.tables(lab, "web1", site) if t not in bad]
    return truth.checksums(lab, "web1", site, names)
