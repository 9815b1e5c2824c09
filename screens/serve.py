"""``cockpit serve``: textual-serve runs the command that ``cockpit.cli.serve_cmd``
built (always ``--wallboard`` or ``--read-only``) once per browser session."""

from __future__ import annotations

import argparse
import shlex
import sys


def serve(args: argparse.Namespace) -> int:
    try:
        from textual_serve.server import Server
    except ImportError:
        print("cockpit serve: textual-serve is not installed (pip install 'cockpit[serve]')", file=sys.stderr)
        return 2
    argv: list[str] = args.served_command
    what = "dashboard (read-only)" if getattr(args, "dashboard", False) else "wallboard"
    server = Server(shlex.join(argv), host=args.host, port=args.port, title=f"cockpit {what}")
    try:
        server.serve()
    except OSError as e:
        print(f"cockpit serve: cannot listen on {args.host}:{args.port}: {e.strerror or e}", file=sys.stderr)
        return 1
    return 0
