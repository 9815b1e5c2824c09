"""Options shared by subcommands, and turning errors into clear messages."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import NoReturn, Protocol

from cockpit import secret_files
from cockpit.inventory import Inventory, InventoryError, load_inventory

EXIT_USAGE = 2
EXIT_READ_ONLY = 4


class UiRunner(Protocol):
    """What the UI package provides to the CLI (see ``screens.launch``)."""

    def run_dashboard(self, args: argparse.Namespace, inventory: Inventory) -> int: ...

    def serve(self, args: argparse.Namespace) -> int: ...


def add_inventory_options(p: argparse.ArgumentParser, *, top: bool = False) -> None:
    """The options accepted before and after the command. On a subcommand their defaults are
    SUPPRESS: argparse lets a subparser's default overwrite what was given before the command
    (``cockpit --inventory F status`` read $COCKPIT_INVENTORY or ./inventory.toml, not F)."""
    mark = len(p._actions)
    _inventory_options(p)
    if not top:
        for action in p._actions[mark:]:
            action.default = argparse.SUPPRESS


def _inventory_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--inventory", "-i", metavar="FILE",
                   help="inventory TOML file (default: $COCKPIT_INVENTORY, then ./inventory.toml)")
    p.add_argument("--ansible-inventory", metavar="FILE",
                   help="add hosts from an Ansible inventory (INI or YAML)")
    p.add_argument("--accept-new", action="store_true",
                   help="trust and record unknown host keys (like StrictHostKeyChecking=accept-new); "
                        "a CHANGED key is never accepted")
    p.add_argument("--debug", action="store_true", help="log engine details to stderr (no secrets)")


def inventory_path(args: argparse.Namespace) -> Path:
    if args.inventory:
        return Path(args.inventory)
    env = os.environ.get("COCKPIT_INVENTORY")
    if env:
        return Path(env)
    return Path("inventory.toml")


def load_or_exit(args: argparse.Namespace) -> Inventory:
    try:
        inventory = load_inventory(inventory_path(args), getattr(args, "ansible_inventory", None))
    except InventoryError as e:
        fail(str(e), EXIT_USAGE)
    for warning in secret_files.warnings(inventory):  # secret files other users can read
        print(f"cockpit: {warning}", file=sys.stderr)
    return inventory


def fail(message: str, code: int) -> NoReturn:
    print(f"cockpit: {message}", file=sys.stderr)
    raise SystemExit(code)

