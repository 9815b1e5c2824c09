"""``cockpit`` command line: dispatch to subcommands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from cockpit import __version__
from cockpit.cli import action_cmd as action_command
from cockpit.cli import check_config as check_config_cmd
from cockpit.cli import demo_cmd, lab_cmd
from cockpit.cli import serve_cmd as serve_command
from cockpit.cli import status_cmd as status_command
from cockpit.cli import timeline_cmd as timeline_command
from cockpit.cli.common import EXIT_USAGE, UiRunner, add_inventory_options, load_or_exit

# Each command module exposes register(subparsers) and sets args.handler.
COMMANDS: tuple[Callable[[argparse._SubParsersAction[argparse.ArgumentParser]], None], ...] = (
    status_command.register,
    check_config_cmd.register,
    lab_cmd.register,
    demo_cmd.register,
    timeline_command.register,
    serve_command.register,
    action_command.register,
)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cockpit",
        description="Terminal incident cockpit for hosting fleets. Without a command, opens the dashboard.",
    )
    p.add_argument("--version", action="version", version=f"cockpit {__version__}")
    add_inventory_options(p, top=True)
    p.add_argument("--read-only", action="store_true",
                   help="no action can run: the engine refuses every one")
    p.add_argument("--dry-run", action="store_true",
                   help="actions show their plans (preconditions checked) but execute nothing")
    p.add_argument("--wallboard", action="store_true",
                   help="the shared-screen layout: worst problems first, large type; implies --read-only")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for register in COMMANDS:
        register(sub)
    return p


def main(argv: Sequence[str] | None = None, ui: UiRunner | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    handler = getattr(args, "handler", None)
    try:
        if handler is not None:
            return int(handler(args, ui))
        if ui is None:
            print("cockpit: the dashboard needs the UI package (run the `cockpit` command)",
                  file=sys.stderr)
            return EXIT_USAGE
        return ui.run_dashboard(args, load_or_exit(args))
    except KeyboardInterrupt:
        return 130
