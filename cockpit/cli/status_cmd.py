"""``cockpit status``: one sweep, then exit 0/1/2/3 like a Nagios plugin."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from cockpit.cli.common import UiRunner, add_inventory_options, load_or_exit
from cockpit.inventory.model import Inventory


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("status", help="one sweep; print the fleet's state; exit 0 ok, 1 warning, "
                                      "2 critical, 3 unknown")
    add_inventory_options(p)
    p.add_argument("--json", action="store_true", help="print one JSON object (a stable contract)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, ui: UiRunner | None) -> int:
    from cockpit.status.document import exit_code
    from cockpit.status.table import render_table

    inventory = load_or_exit(args)
    doc = asyncio.run(_sweep(inventory, args.accept_new))
    if args.json:
        # dumps, not dump: json.dump encodes in pure Python (the C encoder serves one-shot dumps only)
        sys.stdout.write(json.dumps(doc, indent=None, separators=(",", ":")) + "\n")
    else:
        print(render_table(doc))
    return exit_code(doc)


async def _sweep(inventory: Inventory, accept_new: bool) -> dict[str, Any]:
    from cockpit.engine.engine import Engine
    from cockpit.status.document import status_document
    from cockpit.timeline.area_facts import hosts_to_confirm, observe_areas

    engine = Engine(inventory, read_only=True, accept_new=accept_new)
    try:
        await asyncio.gather(engine.sweep_disks(), engine.tables.sweep(),  # disks, tables and DNS at once
                             *([engine.dns.sweep()] if engine.dns.enabled else []),
                             *([engine.transfers.poll()] if engine.transfers.configured else []))
        # the disk sweep told the timeline what tables and DNS said when it ended; they may have ended later,
        # and a site's MySQL that failed after its host's sweep is MySQL's news only if SSH still answers
        await asyncio.gather(*(engine.sweep_host(name) for name in sorted(hosts_to_confirm(engine))))
        await observe_areas(engine.timeline, engine)
        return status_document(engine)
    finally:
        await engine.close()
