"""``cockpit demo``: build the demo lab (real servers, real faults) and open the cockpit on it."""

from __future__ import annotations

import argparse
import sys

from cockpit.cli.common import EXIT_USAGE, UiRunner

EXIT_LAB_ERROR = 1


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from cockpit.demo.scenario import DEFAULT_DIR

    p = sub.add_parser("demo", help="build a lab fleet in the state of an outage and open the cockpit on it (root)",
                       description="Builds a fleet of real servers on this machine (network and mount namespaces, "
                                   "sshd), injects real faults (a degraded RAID with a read-only data mount, a hung "
                                   "sshd) and opens the cockpit on it. The lab is removed when the cockpit exits "
                                   "unless --keep is given.")
    p.add_argument("--dir", help=f"lab directory (default: $COCKPIT_DEMO_DIR or {DEFAULT_DIR})")
    p.add_argument("--keep", action="store_true", help="leave the lab running after the cockpit exits")
    p.add_argument("--no-ui", action="store_true", help="build the lab and print its inventory path; no dashboard")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, ui: UiRunner | None) -> int:
    from pathlib import Path

    from cockpit.cli.common import load_or_exit
    from cockpit.demo import scenario
    from cockpit.lab import Lab, LabError

    if ui is None and not args.no_ui:
        print("cockpit demo: the dashboard needs the UI package (run the `cockpit` command)", file=sys.stderr)
        return EXIT_USAGE
    lab = Lab(Path(args.dir) if args.dir else scenario.demo_dir())
    try:
        inventory_path = scenario.build(lab, echo=lambda msg: print(f"demo: {msg}", file=sys.stderr))
    except LabError as e:
        print(f"cockpit demo: {e}", file=sys.stderr)
        return EXIT_LAB_ERROR
    if args.no_ui:
        print(inventory_path)
        return 0
    assert ui is not None
    args.inventory = str(inventory_path)
    try:
        return ui.run_dashboard(args, load_or_exit(args))
    finally:
        if args.keep:
            print(f"demo: the lab is still running; remove it with: cockpit lab down --dir {lab.dir}",
                  file=sys.stderr)
        else:
            try:
                lab.down(echo=lambda msg: None)
            except LabError as e:
                print(f"cockpit demo: removing the lab: {e}", file=sys.stderr)
