"""``cockpit action NAME TARGET [--dry-run] [--yes]`` and ``cockpit action --list``.

The same engine path as the keys: prepare (read-only gate, preconditions,
lock checks), show the plan, ask, execute with live step status. Exit codes:
0 done (or a dry run shown), 1 a step or the verification failed, 2 usage
(unknown action or target, bad inventory), 3 refused (preconditions, a lock
held by someone else, not confirmed, not available yet), 4 read-only.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING

from cockpit.cli.common import EXIT_READ_ONLY, EXIT_USAGE, UiRunner, add_inventory_options, load_or_exit

if TYPE_CHECKING:
    from cockpit.actions.model import ActionRun
    from cockpit.actions.service import ActionService

EXIT_FAILED = 1
EXIT_REFUSED = 3


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("action", help="run a recovery action (the same engine path as its key); "
                                      "--list lists them")
    # the same options as before the command; SUPPRESS keeps `cockpit --inventory F action ...` working
    # (a subcommand's own defaults would otherwise replace what was given before it)
    add_inventory_options(p)
    for action in p._actions:
        if action.dest in ("inventory", "ansible_inventory", "accept_new", "debug"):
            action.default = argparse.SUPPRESS
    p.add_argument("name", nargs="?", metavar="NAME", help="the action (see --list)")
    p.add_argument("target", nargs="?", metavar="TARGET", help="a host, a site, or SITE.TABLE")
    p.add_argument("--list", action="store_true", help="list the actions and exit")
    p.add_argument("--dry-run", dest="action_dry_run", action="store_true",
                   help="show the plan (preconditions checked) and execute nothing")
    p.add_argument("--yes", "-y", action="store_true", help="do not ask (for scripts)")
    p.add_argument("--break-stale-lock", action="store_true",
                   help="break a lock whose owner is gone (shown in the plan); audited")
    p.add_argument("--read-only", dest="action_read_only", action="store_true",
                   help="refuse (exit 4), as a read-only cockpit does")
    p.set_defaults(handler=run)


def list_actions() -> int:
    from cockpit.actions import registry
    from cockpit.actions.pending import ACTIONS as PENDING

    pending = {a.name for a in PENDING}
    width = max(len(n) for n in registry.NAMES)
    for name, action in registry.actions().items():
        confirm = "types the target's name" if action.typed else ("asks" if action.confirm else "no confirm")
        state = "not available yet" if name in pending else "available"
        print(f"{name:<{width}}  {action.target_usage:<12} {confirm:<24} {state:<18} {action.summary}")
    return 0


def run(args: argparse.Namespace, ui: UiRunner | None) -> int:
    if args.list:
        return list_actions()
    if not args.name or not args.target:
        print("cockpit action: expected NAME TARGET (or --list)", file=sys.stderr)
        return EXIT_USAGE
    from cockpit.actions import registry

    try:
        registry.get(args.name)
    except registry.UnknownAction as e:
        print(f"cockpit action: {e}", file=sys.stderr)
        return EXIT_USAGE
    inventory = load_or_exit(args)
    from cockpit.engine.engine import Engine

    read_only = bool(args.read_only or args.action_read_only or getattr(args, "wallboard", False))
    reason = "--wallboard" if getattr(args, "wallboard", False) else "--read-only"
    engine = Engine(inventory, read_only=read_only, accept_new=args.accept_new, read_only_reason=reason)
    if args.action_dry_run or getattr(args, "dry_run", False):
        engine.gate.enable_dry_run()
    return asyncio.run(_run(engine, args))


async def _run(engine: object, args: argparse.Namespace) -> int:
    from cockpit.actions.service import ActionService
    from cockpit.engine.engine import Engine

    assert isinstance(engine, Engine)
    service = ActionService(engine)
    try:
        return await _drive(service, args)
    finally:
        await engine.close()


async def _drive(service: ActionService, args: argparse.Namespace) -> int:
    from cockpit.actions import registry
    from cockpit.actions.model import ActionError, NotAvailable
    from cockpit.actions.render import plan_lines
    from cockpit.actions.targets import TargetError
    from cockpit.engine.gate import DryRunRefused, ReadOnlyRefused

    try:
        plan = await service.prepare(args.name, args.target)
    except ReadOnlyRefused as e:
        print(f"cockpit action: {e}", file=sys.stderr)
        return EXIT_READ_ONLY
    except TargetError as e:
        print(f"cockpit action: {e}", file=sys.stderr)
        return EXIT_USAGE
    except (NotAvailable, ActionError) as e:
        print(f"cockpit action: {e}", file=sys.stderr)
        return EXIT_REFUSED
    for rec in service.incomplete():
        print(f"cockpit action: WARNING: {rec.get('action')} on {rec.get('target')} started at {rec.get('at')} by "
              f"{rec.get('user')}@{rec.get('machine')} (pid {rec.get('pid')}) never finished (recorded as "
              "incomplete in the audit log); this run continues or does nothing where it is done", file=sys.stderr)
    print("\n".join(plan_lines(plan)), flush=True)
    if plan.blocked:
        print("\ncockpit action: refused: preconditions not met (see FAIL above)", file=sys.stderr)
        return EXIT_REFUSED
    if service.gate.dry_run:
        print("\ndry run: nothing was executed", flush=True)
        return 0
    action = registry.get(args.name)
    if not args.yes and not await _confirmed(action.confirm, action.typed, plan.target.name):
        print("cockpit action: not confirmed; nothing was done", file=sys.stderr)
        return EXIT_REFUSED
    if plan.stale_locks and not args.break_stale_lock and not args.yes:
        args.break_stale_lock = await _ask("Break the stale lock(s) shown above? Type 'break' to confirm: ", "break")
    service.subscribe(_Printer().show)
    try:
        run = await service.execute(plan, break_stale=args.break_stale_lock)
    except ReadOnlyRefused as e:
        print(f"cockpit action: {e}", file=sys.stderr)
        return EXIT_READ_ONLY
    except DryRunRefused as e:
        print(str(e))
        return 0
    print(f"\n{run.action} {run.target}: {run.outcome}", flush=True)
    if run.state == "done":
        return 0
    return EXIT_REFUSED if run.state == "refused" else EXIT_FAILED


async def _confirmed(confirm: bool, typed: bool, target: str) -> bool:
    if not confirm:
        return True
    if typed:
        return await _ask(f"\nThis is destructive or fleet-wide. Type the target's name ({target}) to run it: ",
                          target)
    return await _ask("\nRun it? Type 'yes' to run: ", "yes")


async def _ask(prompt: str, expected: str) -> bool:
    if not sys.stdin.isatty():
        print(f"{prompt}(no terminal to ask: use --yes)", file=sys.stderr)
        return False

    def ask() -> str:
        try:
            return input(prompt)
        except EOFError:
            return ""

    return (await asyncio.to_thread(ask)).strip() == expected


class _Printer:
    """Live step status on stdout, one line per change."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, int], str] = {}

    def show(self, run: ActionRun) -> None:
        for i, step in enumerate(run.steps, 1):
            key = (run.run_id, i)
            if self._seen.get(key) != step.state:
                self._seen[key] = step.state
                if step.state in ("pending",):
                    continue
                prefix = f"[{run.action} {run.target}] " if run.parent else ""
                print(f"{prefix}step {i} {step.state}: {step.spec.title}", flush=True)
                if step.state in ("done", "failed") and step.output:
                    print("\n".join(f"    {line}" for line in step.output.splitlines()), flush=True)
        for c in run.verification if run.state in ("done", "failed") and run.verification else []:
            key = (run.run_id, -1 - run.verification.index(c))
            if key not in self._seen:
                self._seen[key] = "v"
                print(f"verify {'OK  ' if c.ok else 'FAIL'} {c.what}" + (f": {c.detail}" if c.detail else ""),
                      flush=True)


__all__ = ["register"]
