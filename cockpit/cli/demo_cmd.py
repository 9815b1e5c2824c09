"""``cockpit demo``: build the demo lab (real servers), play the outage on it
(real faults, on a timeline) and open the cockpit on it."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from cockpit.cli.common import EXIT_USAGE, UiRunner

if TYPE_CHECKING:
    from cockpit.demo.scenario import Director
    from cockpit.demo.story import Story
    from cockpit.lab import Lab

EXIT_LAB_ERROR = 1


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from cockpit.demo.defaults import (  # not the lab: status parses this
        DEFAULT_BWLIMIT,
        DEFAULT_DIR,
        DEFAULT_SITES,
        DEFAULT_TTL,
    )

    p = sub.add_parser("demo", help="build a lab fleet, replay the outage on it and open the cockpit (root)",
                       description="Builds a fleet of real servers on this machine (network and mount namespaces, "
                                   "sshd, MariaDB, rsync, BIND): web1 and web2 with N sites each, an empty standby1, "
                                   "backup1 with last Sunday's dumps and /storage copies, DNS with small TTLs. Then "
                                   "the outage plays on a timeline: web1's RAID writes garbage into tables, SSH to "
                                   "web1 hangs, a remote reboot brings it back read-only. The lab is removed when "
                                   "the cockpit exits unless --keep is given.")
    p.add_argument("--dir", help=f"lab directory (default: $COCKPIT_DEMO_DIR or {DEFAULT_DIR})")
    p.add_argument("--keep", action="store_true", help="leave the lab running after the cockpit exits")
    p.add_argument("--no-ui", action="store_true",
                   help="build the lab, play the whole outage at once and print the inventory path; no dashboard")
    p.add_argument("--sites", type=int, default=DEFAULT_SITES, help=f"sites per web host (default {DEFAULT_SITES})")
    p.add_argument("--ttl", type=int, default=DEFAULT_TTL, help=f"DNS TTL in seconds (default {DEFAULT_TTL})")
    p.add_argument("--bwlimit", type=int, default=DEFAULT_BWLIMIT, metavar="KBPS",
                   help=f"/storage imports' rsync --bwlimit, to watch them run (default {DEFAULT_BWLIMIT}; 0: none)")
    p.add_argument("--pace", type=float, default=20.0,
                   help="seconds between the outage's phases, and before the first (default 20)")
    p.add_argument("--auto", action="store_true",
                   help="the cockpit plays the engineer too: it presses the real keys at a watchable pace")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, ui: UiRunner | None) -> int:
    from pathlib import Path

    from cockpit.cli.common import load_or_exit
    from cockpit.demo import scenario
    from cockpit.demo.story import Story
    from cockpit.lab import Lab, LabError
    from cockpit.timeline import Timeline

    if ui is None and not args.no_ui:
        print("cockpit demo: the dashboard needs the UI package (run the `cockpit` command)", file=sys.stderr)
        return EXIT_USAGE
    if args.sites < 3:
        print("cockpit demo: --sites must be at least 3", file=sys.stderr)
        return EXIT_USAGE
    lab = Lab(Path(args.dir) if args.dir else scenario.demo_dir())

    def echo(msg: str) -> None:
        print(f"demo: {msg}", file=sys.stderr)

    try:
        inventory_path = scenario.build(lab, echo=echo, sites=args.sites, ttl=args.ttl, bwlimit_kbps=args.bwlimit)
    except LabError as e:
        print(f"cockpit demo: {e}", file=sys.stderr)
        return EXIT_LAB_ERROR
    args.inventory = str(inventory_path)
    inventory = load_or_exit(args)
    scenario.set_aside_previous_run(inventory, echo)
    story = Story(Timeline.for_inventory(inventory))
    if args.no_ui:
        try:
            scenario.break_now(lab, echo, story, args.sites)
        except LabError as e:
            print(f"cockpit demo: {e}", file=sys.stderr)
            return EXIT_LAB_ERROR
        print(inventory_path)
        return 0
    assert ui is not None
    director = scenario.Director(lab, story, sites=args.sites, pace=args.pace, lag=max(2.0 * args.ttl, 10.0),
                                 echo=lambda msg: None)
    director.start()
    args.demo_drill = drill_spec(lab, director, story, args.sites, pause=0.6) | {"auto": args.auto}
    try:
        return ui.run_dashboard(args, inventory)
    finally:
        director.stop()
        director.join(timeout=30)
        if args.keep:
            print(f"demo: the lab is still running; remove it with: cockpit lab down --dir {lab.dir}",
                  file=sys.stderr)
        else:
            try:
                lab.down(echo=lambda msg: None)
            except LabError as e:
                print(f"cockpit demo: removing the lab: {e}", file=sys.stderr)


def drill_spec(lab: Lab, director: Director, story: Story, sites: int, *, pause: float) -> dict[str, Any]:
    """What ``--auto`` needs (screens.demo_autopilot.Drill's fields): the runbook's targets, and the lab's
    own truth for when the outage is over and when every DNS server answers the standby's address."""
    from cockpit.demo import dns_watch, fleet, outage, truth

    names = fleet.site_names(outage.HOST, sites)
    landed: set[str] = set()  # a site's /storage identical to the backup stays so: not hashed again

    def imports_landed() -> bool:
        landed.update(s for s in names if s not in landed and not truth.storage_differences(lab, s))
        return len(landed) == len(names)

    return {"host": outage.HOST, "sites": names, "pause": pause,
            "outage_over": director.outage_done.is_set,
            "imports_landed": imports_landed,
            "recovered": lambda seconds: story.recovered(outage.HOST, fleet.STANDBY, len(names), seconds),
            "dns_settled": lambda: not dns_watch.wrong_answers(lab, outage.HOST, sites, fleet.STANDBY)}
