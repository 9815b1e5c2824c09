"""The ``cockpit`` console entry point: the engine CLI with the Textual UI plugged in.

The CLI (``cockpit.cli``) never imports Textual; it calls a :class:`UiRunner`
when the dashboard is wanted. TERM is left alone; Textual honours NO_COLOR.
"""

from __future__ import annotations

import argparse
import sys

from cockpit.inventory import Inventory


class TextualUI:
    """Implements ``cockpit.cli.common.UiRunner``."""

    def run_dashboard(self, args: argparse.Namespace, inventory: Inventory) -> int:
        from cockpit import memory
        from cockpit.engine.engine import Engine
        from screens import gc_freeze
        from screens.app import CockpitApp

        memory.limit_arenas()  # before any thread: a wallboard's RSS stays flat for days (cockpit/memory.py)
        wallboard = bool(getattr(args, "wallboard", False))
        engine = Engine(inventory, read_only=args.read_only or wallboard, accept_new=args.accept_new,
                        read_only_reason="--wallboard" if wallboard else "--read-only")
        app = CockpitApp(engine, wallboard=wallboard)
        gc_freeze.enable()  # one long-lived app in this process (screens/gc_freeze.py)
        if getattr(args, "dry_run", False):
            engine.gate.enable_dry_run()  # actions show their plans, nothing is executed
        drill = getattr(args, "demo_drill", None)  # cockpit demo --auto: the runbook pressed through this UI
        if drill is not None:
            from screens.demo_autopilot import autopilot

            app.run(auto_pilot=autopilot(drill))
        else:
            app.run()
        return app.return_code or 0

    def serve(self, args: argparse.Namespace) -> int:
        from screens.serve import serve

        return serve(args)


def main() -> None:
    from cockpit.cli.main import main as cli_main

    sys.exit(cli_main(sys.argv[1:], ui=TextualUI()))


if __name__ == "__main__":
    main()
