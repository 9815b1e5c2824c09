"""``cockpit timeline``: the incident's timeline, ready to paste into a post-mortem.

It prints what the cockpits on this machine recorded for the inventory (state
changes they observed, with evidence) merged with the actions in the audit log.
It reads only: no sweep, no connection.
"""

from __future__ import annotations

import argparse
import json
import sys

from cockpit import clock
from cockpit.cli.common import EXIT_USAGE, UiRunner, add_inventory_options, fail, load_or_exit
from cockpit.timeline.since import HELP as SINCE_HELP


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("timeline", help="print the incident timeline (events observed and actions taken)",
                       description="Prints the incident timeline: state changes the cockpit observed (with the "
                                   "evidence) and actions from the audit log, oldest first.")
    add_inventory_options(p)
    p.add_argument("--since", metavar="T", help=f"only events from T on: {SINCE_HELP}")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--markdown", action="store_true", help="a Markdown table for a post-mortem")
    fmt.add_argument("--json", action="store_true", help="one JSON object with an events list")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, ui: UiRunner | None) -> int:
    from cockpit.timeline.history import History
    from cockpit.timeline.render import json_doc, markdown, plain
    from cockpit.timeline.since import parse_since

    inventory = load_or_exit(args)
    since = None
    if args.since is not None:
        try:
            since = parse_since(args.since, clock.now())
        except ValueError as e:
            fail(f"--since: {e}", EXIT_USAGE)
    history = History.for_inventory(inventory)
    events = history.entries(since)
    sources = [str(p) for p in (history.timeline.path, history.audit) if p is not None]
    for problem in history.errors:
        print(f"cockpit: {problem}", file=sys.stderr)
    if args.json:
        doc = json_doc(events, inventory=str(inventory.path), sources=sources, since=since)
        json.dump(doc, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    elif args.markdown:
        sys.stdout.write(markdown(events, title=inventory.path.stem, sources=sources, since=since))
    elif events:
        print(plain(events))
    else:
        print(f"no events recorded{f' since {clock.iso(since)}' if since else ''} "
              f"(in {', '.join(sources) or 'memory'})")
    return 0
