"""recheck: look again now (harmless; no confirm, no lock).

The panes plug in what "look again" means with :func:`register_recheck`, at
import time of their engine module::

    from cockpit.actions.recheck import register_recheck
    register_recheck(TargetKind.SITE, "Re-check every table of the site now", recheck_tables)

    async def recheck_tables(engine: Engine, target: Target) -> str:   # one line of outcome
        ...

A hook reads only; what it returns is shown as the step's output. Modules
listed in :data:`HOOK_MODULES` are imported (when they exist) before planning,
so the CLI and the TUI get the same hooks. The host hook (re-probe the
host's disks) is built in.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cockpit.actions.base import Action
from cockpit.actions.context import ActionContext
from cockpit.actions.model import Plan, StepSpec
from cockpit.actions.targets import Target, TargetKind
from cockpit.wording import count

if TYPE_CHECKING:
    from cockpit.engine.engine import Engine

RecheckFn = Callable[["Engine", Target], Awaitable[str]]

# Engine modules of the panes that register re-check hooks (imported if present).
HOOK_MODULES = ("cockpit.tables.recheck", "cockpit.dns.recheck", "cockpit.transfers.recheck")


@dataclass(frozen=True)
class RecheckHook:
    kind: TargetKind
    title: str
    fn: RecheckFn


_HOOKS: list[RecheckHook] = []


def register_recheck(kind: TargetKind, title: str, fn: RecheckFn) -> None:
    if not any(h.kind is kind and h.title == title for h in _HOOKS):
        _HOOKS.append(RecheckHook(kind, title, fn))


def hooks_for(kind: TargetKind) -> list[RecheckHook]:
    for mod in HOOK_MODULES:
        with contextlib.suppress(ImportError):
            importlib.import_module(mod)
    return [h for h in _HOOKS if h.kind is kind]


async def _sweep_host(engine: Engine, target: Target) -> str:
    state = await engine.sweep_host(target.host.name)
    return f"{state.name}: {state.reach}, {state.severity}" + (f" ({state.error})" if state.error else "")


async def _check_tables(engine: Engine, target: Target) -> str:
    assert target.site is not None
    state = await engine.tables.check_site(target.site.name)
    bad = [t for t, ts in state.tables.items() if ts.status.bad]
    if state.error:
        return f"{state.name}: not checked: {state.error}"
    return f"{state.name}: {count(len(state.tables), 'table')} checked, " + (
        f"{len(bad)} bad: {', '.join(sorted(bad)[:10])}" if bad else "all OK")


async def _query_dns(engine: Engine, target: Target) -> str:
    assert target.site is not None
    found = await engine.dns.sweep_site(target.site.name)
    if found is None:
        return f"{target.site.name}: no DNS to query (no [dns] section, or the site has no name)"
    pct = "?" if found.propagated_percent is None else f"{found.propagated_percent:.0f}"
    return f"{found.name}: {pct}% of servers answer {', '.join(found.expected)} ({found.severity})"


register_recheck(TargetKind.HOST, "Probe the host's disks and mounts now", _sweep_host)
register_recheck(TargetKind.SITE, "CHECK every table of the site now", _check_tables)
register_recheck(TargetKind.SITE, "Query the site's name on every nameserver and resolver now", _query_dns)


class Recheck(Action):
    name = "recheck"
    binding = "recheck"
    title = "Re-check now"
    summary = "Look again now: a site's tables and DNS, or a host's disks (harmless, reads only)"
    kinds = (TargetKind.SITE, TargetKind.HOST)
    confirm = False

    async def plan(self, ctx: ActionContext, target: Target) -> Plan:
        steps = []
        for hook in hooks_for(target.kind):
            async def run(ctx: ActionContext, hook: RecheckHook = hook) -> str:
                return await hook.fn(ctx.engine, target)

            steps.append(StepSpec(hook.title, (f"(reads only) {hook.title.lower()}",), target.host.name, run))
        notes = () if steps else (f"nothing to re-check for a {target.kind} yet: no pane registered a re-check",)
        return Plan(self.name, target, self.summary, steps=tuple(steps), notes=notes,
                    verification=(), rollback=("Nothing to undo: a re-check only reads.",))
