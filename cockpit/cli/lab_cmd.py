"""``cockpit lab ...``: build, break, heal and remove the lab fleet (see cockpit.lab)."""

from __future__ import annotations

import argparse

from cockpit.cli.common import UiRunner


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("lab", help="a real fleet on this machine: namespaces, sshd, MariaDB, DNS")
    p.set_defaults(handler=_not_yet)


def _not_yet(args: argparse.Namespace, ui: UiRunner | None) -> int:
    print("cockpit lab: not implemented yet")
    return 3
