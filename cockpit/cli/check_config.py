"""``cockpit check-config``: validate an inventory and print what was understood."""

from __future__ import annotations

import argparse

from cockpit.cli.common import UiRunner, add_inventory_options, load_or_exit
from cockpit.inventory.describe import describe


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("check-config", help="validate the inventory and print what it says")
    add_inventory_options(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace, ui: UiRunner | None) -> int:
    inventory = load_or_exit(args)
    print(describe(inventory))
    return 0
