"""Trust options given before the command are kept: argparse let each
subcommand's own default overwrite them, so ``cockpit --accept-new serve`` was
not refused, ``cockpit --inventory F status`` read another inventory and
``cockpit --debug status`` logged nothing."""

from __future__ import annotations

import pytest

from cockpit.cli.main import build_parser

COMMANDS = [["status"], ["check-config"], ["timeline"], ["serve"], ["action", "recheck", "acme"]]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("before", [True, False])
def test_inventory_debug_and_accept_new_are_kept_before_or_after_the_command(command: list[str],
                                                                            before: bool) -> None:
    opts = ["--inventory", "fleet.toml", "--debug", "--accept-new", "--ansible-inventory", "hosts.ini"]
    args = build_parser().parse_args(opts + command if before else command[:1] + opts + command[1:])
    assert (args.inventory, args.debug, args.accept_new, args.ansible_inventory) == (
        "fleet.toml", True, True, "hosts.ini")


@pytest.mark.parametrize("command", COMMANDS)
def test_without_the_options_the_defaults_are_there(command: list[str]) -> None:
    args = build_parser().parse_args(command)
    assert (args.inventory, args.debug, args.accept_new, args.ansible_inventory) == (None, False, False, None)
