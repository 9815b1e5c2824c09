"""``cockpit serve``: the wallboard in a browser (textual-serve), read-only by construction.

Every browser tab runs ``cockpit --wallboard`` (or ``--read-only``) as a
subprocess; the command line is built here from fixed parts and nothing a
browser sends can change it. The wallboard has no login, and it shows host
names, addresses and errors, so it binds to loopback unless
``--allow-non-loopback`` says otherwise (put an authenticating reverse proxy in
front instead, where you can).
"""

from __future__ import annotations

import argparse
import ipaddress
import sys
from pathlib import Path

from cockpit.cli.common import EXIT_USAGE, UiRunner, add_inventory_options, fail, inventory_path, load_or_exit

LOCAL_NAMES = ("localhost",)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("serve", help="serve the read-only wallboard to a browser (textual-serve)",
                       description="Serves the wallboard to browsers. Each visitor gets a read-only cockpit: "
                                   "no action can run, whatever is pressed.")
    add_inventory_options(p)
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--wallboard", action="store_true", default=True,
                      help="serve the wallboard layout (the default)")
    mode.add_argument("--read-only", dest="dashboard", action="store_true",
                      help="serve the normal dashboard instead, read-only")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="port to listen on (default 8080)")
    p.add_argument("--allow-non-loopback", action="store_true",
                   help="allow a --host other than loopback: the page has no login and shows your fleet")
    p.set_defaults(handler=run)


def is_loopback(host: str) -> bool:
    if host.lower() in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def served_command(args: argparse.Namespace, inventory: Path) -> list[str]:
    """The command each browser session runs: always read-only, nothing else from outside."""
    argv = [sys.executable, "-m", "screens.launch", "--inventory", str(inventory.resolve())]
    if getattr(args, "ansible_inventory", None):
        argv += ["--ansible-inventory", str(Path(args.ansible_inventory).resolve())]
    argv.append("--read-only" if args.dashboard else "--wallboard")
    return argv


def run(args: argparse.Namespace, ui: UiRunner | None) -> int:
    if not 0 < args.port < 65536:
        fail(f"serve: --port {args.port} is not a TCP port (1-65535)", EXIT_USAGE)
    if not is_loopback(args.host) and not args.allow_non_loopback:
        fail(f"serve: refusing to listen on {args.host}: the wallboard has no login and shows your fleet's "
             "hosts and errors. Listen on loopback (the default, 127.0.0.1) behind an authenticating proxy, "
             "or pass --allow-non-loopback if that is really what you want.", EXIT_USAGE)
    if args.accept_new:
        fail("serve: --accept-new is not for a served wallboard (any browser could make it trust a new host "
             "key); record the keys once with `cockpit status --accept-new`, then serve", EXIT_USAGE)
    load_or_exit(args)  # a bad inventory is reported here, not in every browser tab
    if ui is None:
        fail("serve needs the UI package (run the `cockpit` command)", EXIT_USAGE)
    args.served_command = served_command(args, inventory_path(args))
    return ui.serve(args)
