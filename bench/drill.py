"""Benchmark: time to recover from the outage (issue #7), on the lab.

Builds the demo scenario (``--sites`` per web host), plays the outage at full
speed and lets the autopilot press the runbook's keys through the real UI
(headless, no pause between keys). Reports, as a table and as JSON:

* detection latency per signal: from the phase that caused it (the scenario's
  timeline event) to the cockpit recording it (the engine's timeline event,
  the moment its pane shows it);
* time from the first keypress until every web1 site is served from the
  standby with every authoritative server agreeing (ns1, ns2, the lagging ns3);
* time until every /storage import is identical to the backup (read in the lab).

The lagging secondary's daily refresh is compressed to ``--lag`` seconds.
The outage it replays took 12 hours. Results go to bench/results/drill-*.json.

    sudo .venv/bin/python bench/drill.py [--sites 6] [--lag 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

from cockpit import clock
from cockpit.demo import dns_watch, fleet, outage, scenario, truth
from cockpit.demo.story import Story, scenario_events
from cockpit.engine.engine import Engine
from cockpit.inventory import load_inventory
from cockpit.lab import Lab
from cockpit.timeline import Timeline
from screens.app import CockpitApp
from screens.demo_autopilot import Drill, fly

SIGNALS = {"site.corrupt": "raid", "kernel.io-errors": "raid", "kernel.read-only-remount": "raid",
           "raid.degraded": "raid", "host.unreachable": "ssh-hang", "mount.read-only": "reboot"}
# The kernel fact holds the worst the log says: an ext4 error with errors=remount-ro logs the I/O error and
# the remount together, so the fact goes straight to read-only-remount, which shows the I/O errors too.
SHOWN_BY = {"kernel.io-errors": ("kernel.io-errors", "kernel.read-only-remount")}
RESULTS = Path(__file__).parent / "results"
OUTAGE_HOURS = 12


def authoritative_agree(lab: Lab, sites: int) -> bool:
    want = (dns_watch.public_ip(lab, fleet.STANDBY),)
    return all(dns_watch.answer(lab, ns, dns_watch.hostname(s)) == want
               for ns in ("ns1", "ns2", "ns3") for s in fleet.site_names(outage.HOST, sites))


def run(sites: int, lag: float, ttl: int, pace: float) -> dict[str, object]:
    lab = Lab(Path(tempfile.mkdtemp(prefix="cockpit-lab-test-bench-drill-", dir="/tmp")))
    try:
        t_build = time.monotonic()
        scenario.build(lab, echo=lambda m: None, sites=sites, ttl=ttl)
        build_s = time.monotonic() - t_build
        inventory = load_inventory(lab.inventory_path)
        timeline = Timeline.for_inventory(inventory)
        director = scenario.Director(lab, Story(timeline), sites=sites, pace=pace, first_delay=0, lag=lag,
                                     echo=lambda m: None)
        marks: dict[str, float] = {}

        def settled() -> bool:
            return "authoritative" in marks and not dns_watch.wrong_answers(lab, outage.HOST, sites, fleet.STANDBY)

        drill = Drill(outage.HOST, fleet.site_names(outage.HOST, sites), outage_over=director.outage_done.is_set,
                      dns_settled=settled, pause=0, timeout=900)
        watcher_done = threading.Event()

        def watch_imports() -> None:  # and the authoritative servers, from the first key on
            while not watcher_done.is_set() and len(marks) < 2:
                if "first_key" in drill.marks and "authoritative" not in marks and authoritative_agree(lab, sites):
                    marks["authoritative"] = time.monotonic()
                if "imports_started" in drill.marks and "imports_identical" not in marks and not any(
                        truth.storage_differences(lab, s) for s in drill.sites):
                    marks["imports_identical"] = time.monotonic()
                time.sleep(0.5)

        watcher = threading.Thread(target=watch_imports, daemon=True)
        watcher.start()
        director.start()

        async def main() -> None:
            app = CockpitApp(Engine(inventory))
            async with app.run_test(size=(200, 60)) as pilot:
                await fly(pilot, drill)
                while watcher.is_alive():
                    await pilot.pause(1)

        asyncio.run(main())
        watcher_done.set()
        director.stop()
        director.join(timeout=30)
        events = timeline.events()
        phase_at = {str(e.evidence.get("step")): e.at for e in scenario_events(timeline)}
        detection = {}
        for kind, phase in SIGNALS.items():
            seen = [e.at for e in events if e.kind in SHOWN_BY.get(kind, (kind,)) and e.source != "scenario"
                    and phase in phase_at
                    and e.at >= phase_at[phase]]
            detection[kind] = round((min(seen) - phase_at[phase]).total_seconds(), 1) if seen else None
        first_key = drill.marks["first_key"]
        return {
            "at": clock.iso(clock.now()), "sites_per_host": sites, "web1_sites": len(drill.sites),
            "corrupt_tables": sum(len(t) for t in outage.corrupt_tables(sites).values()),
            "lag_s": lag, "ttl_s": ttl, "pace_s": pace, "build_s": round(build_s, 1),
            "detection_s": detection,
            "first_key_to_all_authoritative_s": round(marks.get("authoritative", float("nan")) - first_key, 1),
            "first_key_to_every_server_s": round(drill.marks["dns_settled"] - first_key, 1),
            "first_key_to_imports_identical_s": round(marks.get("imports_identical", float("nan")) - first_key, 1),
            "databases_moved_s": round(drill.marks["databases_moved"] - first_key, 1),
            "outage_hours_by_hand": OUTAGE_HOURS,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
    finally:
        lab.down(echo=lambda m: None)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sites", type=int, default=6)
    ap.add_argument("--lag", type=float, default=5.0)
    ap.add_argument("--ttl", type=int, default=5)
    ap.add_argument("--pace", type=float, default=15.0, help="seconds between the outage's phases")
    ap.add_argument("--no-save", action="store_true")
    args = ap.parse_args()
    result = run(args.sites, args.lag, args.ttl, args.pace)
    width = max(len(k) for k in result)
    for k, v in result.items():
        print(f"{k:<{width}}  {v}")
    hours = result["first_key_to_every_server_s"]
    if isinstance(hours, float):
        print(f"by hand: {OUTAGE_HOURS} h; in the lab: {hours:.0f} s from the first key to every server agreeing")
    print(json.dumps(result))
    if not args.no_save:
        RESULTS.mkdir(exist_ok=True)
        path = RESULTS / f"drill-{datetime.now().strftime('%Y%m%dT%H%M%S')}.json"
        path.write_text(json.dumps(result, indent=1) + "\n")
        print(f"saved {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
