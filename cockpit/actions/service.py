"""The action runner: the one engine path every entry point (key, palette, CLI) takes.

``prepare(name, target)`` passes the read-only gate FIRST (nothing at all
happens in a read-only cockpit: no SSH, no file), resolves the target, runs the
action's preconditions and adds the lock checks: the plan to show.
``execute(plan)`` passes the gate again (read-only and ``--dry-run`` stop
here), takes the remote locks, runs the steps in order with live status,
verifies, releases the locks, and audits every part. Listeners (the UI, the
timeline) are called on every change of a run.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cockpit import clock
from cockpit.actions import locks, registry
from cockpit.actions.audit_trail import ActionAudit
from cockpit.actions.context import ActionContext
from cockpit.actions.model import ActionError, ActionRun, Check, Plan, RunState, StepFailed, StepState
from cockpit.actions.targets import Target, TargetError, resolve
from cockpit.audit.log import Actor, AuditLog
from cockpit.engine.statefile import StateFile
from cockpit.transport.errors import HostDown, ProbeError
from cockpit.untrusted import printable
from cockpit.wording import count

if TYPE_CHECKING:
    from cockpit.engine.engine import Engine
    from cockpit.engine.gate import ActionGate

log = logging.getLogger(__name__)
Listener = Callable[[ActionRun], None]


class ActionService:
    def __init__(self, engine: Engine, *, actor: Actor | None = None, audit_path: Path | None = None,
                 state_path: Path | None = None):
        self.engine = engine
        self.actor = actor or Actor.current()
        self._audit_path, self._state_path = audit_path, state_path
        self._audit: ActionAudit | None = None
        self._state: StateFile | None = None
        self.runs: list[ActionRun] = []  # every run of this cockpit, newest last
        self._listeners: list[Listener] = []

    # -- parts made on first use (a read-only cockpit never touches its state dir) --
    @property
    def gate(self) -> ActionGate:
        return self.engine.gate

    @property
    def audit(self) -> ActionAudit:
        if self._audit is None:
            from cockpit.paths import audit_path

            self._audit = ActionAudit(AuditLog(self._audit_path or audit_path(self.engine.inventory), self.actor))
        return self._audit

    @property
    def state(self) -> StateFile:
        if self._state is None:
            from cockpit.paths import state_dir

            self._state = StateFile(self._state_path or state_dir(self.engine.inventory) / "state.json")
        return self._state

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def _changed(self, run: ActionRun) -> None:
        for fn in list(self._listeners):
            try:
                fn(run)
            except Exception:
                log.exception("action listener failed")

    def incomplete(self) -> list[dict[str, Any]]:
        """Runs a crash left unfinished, recorded as incomplete once, now (a dry run
        only reports them; a read-only cockpit neither reads nor writes the audit)."""
        if self.gate.read_only:
            return []
        if self.gate.dry_run:
            from cockpit.actions.audit_trail import incomplete_runs

            return list(incomplete_runs(self.audit.path))
        return self.audit.mark_incomplete()

    # -- planning ----------------------------------------------------------------------
    def site_hosts(self) -> dict[str, str]:
        """Sites a failover moved: site -> the host it runs on now (from the persisted state)."""
        if self.gate.read_only and self._state is None:
            from cockpit.paths import state_dir

            path = self._state_path or state_dir(self.engine.inventory) / "state.json"
            if not path.exists():
                return {}
        out: dict[str, str] = {}
        for site, rec in self.state.section("site_hosts").items():  # cockpit.engine.placement's format
            host = rec.get("host") if isinstance(rec, dict) else rec
            if isinstance(host, str):
                out[site] = host
        return out

    def resolve(self, name: str, text: str) -> Target:
        action = registry.get(name)
        errors: list[str] = []
        for kind in action.kinds:
            try:
                return resolve(self.engine.inventory, kind, text, self.site_hosts())
            except TargetError as e:
                errors.append(str(e))
        raise TargetError(f"{name} takes {action.target_usage}: " + "; ".join(errors))

    async def prepare(self, name: str, target_text: str) -> Plan:
        """The plan, preconditions and lock checks included. Raises ReadOnlyRefused
        (before anything else), UnknownAction, TargetError or NotAvailable."""
        registry.get(name)
        self.gate.check(name, target_text)
        target = self.resolve(name, target_text)
        plan = await registry.get(name).plan(ActionContext(self), target)
        return await self._with_lock_checks(plan)

    async def _with_lock_checks(self, plan: Plan) -> Plan:
        checks: list[Check] = []
        stale = []
        for spec in plan.locks:
            try:
                st = await locks.probe(self.engine.pool, spec)
            except locks.LockError as e:
                checks.append(Check(f"lock {spec.name} on {spec.host} can be taken", False, str(e)))
                continue
            what = f"no other action holds {spec.name} (lock on {spec.host})"
            who = st.owner.describe() if st.owner else "an unknown owner"
            if st.state == "live":
                checks.append(Check(what, False, f"locked by {who}"))
            elif st.state == "stale":
                checks.append(Check(what, True, f"STALE lock left by {who} (that owner is gone): it is broken "
                                                "only if you confirm breaking it"))
                if st.owner is not None:
                    stale.append((spec, st.owner))
            else:
                checks.append(Check(what, True, "free"))
        return dataclasses.replace(plan, checks=plan.checks + tuple(checks), stale_locks=tuple(stale))

    # -- running -------------------------------------------------------------------------
    async def run_child(self, ctx: ActionContext, name: str, target_text: str) -> ActionRun:
        """An action started by another (a host failover's per-site failovers): same gate,
        same locks (a lock an ancestor holds is not taken twice), its own audit records."""
        plan = await self.prepare(name, target_text)
        return await self.execute(plan, parent=ctx)

    async def execute(self, plan: Plan, *, break_stale: bool = False, parent: ActionContext | None = None) -> ActionRun:
        """Run a prepared plan. Raises ReadOnlyRefused / DryRunRefused before anything
        runs; otherwise returns the finished run (done, failed or refused)."""
        self.gate.check_execute(plan.action, plan.target.name)
        run = ActionRun(plan, parent=parent.run.run_id if parent and parent.run else None)
        if parent is not None and parent.run is not None:
            parent.run.children.append(run)
        self.runs.append(run)
        if plan.blocked:
            return self._finish(run, RunState.REFUSED, "preconditions not met: " +
                                "; ".join(f"{c.what}: {c.detail}" if c.detail else c.what for c in plan.blocked),
                                audited=False)
        self.audit.start(run)
        held: list[locks.HeldLock] = []
        try:
            inherited = parent.held if parent else frozenset()
            refused = await self._take_locks(run, inherited, held, break_stale)
            if refused is not None:
                return self._finish(run, RunState.REFUSED, refused)
            ctx = ActionContext(self, run, inherited | {(h.spec.host, h.spec.name) for h in held})
            run.state = RunState.RUNNING
            self._changed(run)
            if not await self._run_steps(ctx, run):
                failed = next(s for s in run.steps if s.state is StepState.FAILED)
                return self._finish(run, RunState.FAILED, f"step failed: {failed.spec.title}: "
                                                          f"{failed.output.splitlines()[0] if failed.output else ''}")
            return await self._verify(ctx, run)
        except asyncio.CancelledError:
            self._finish(run, RunState.FAILED, "interrupted: the cockpit stopped while the action ran")
            raise
        except Exception as e:  # a bug must not leave the run "running" forever
            log.exception("action %s failed", plan.action)
            return self._finish(run, RunState.FAILED, f"internal error: {type(e).__name__}: {printable(str(e))}")
        finally:
            for h in reversed(held):
                if not await h.release():
                    self.audit.lock_left(run, h.spec.host, h.spec.name)

    async def _take_locks(self, run: ActionRun, inherited: frozenset[tuple[str, str]],
                          held: list[locks.HeldLock], break_stale: bool) -> str | None:
        run.state = RunState.LOCKING
        self._changed(run)
        stale = {spec: owner for spec, owner in run.plan.stale_locks}
        for spec in sorted(run.plan.locks, key=lambda s: (s.host, s.name)):  # one order: no deadlock
            if (spec.host, spec.name) in inherited:
                continue
            owner = locks.LockOwner(user=self.actor.user, machine=self.actor.machine, pid=self.actor.pid,
                                    since=clock.iso(clock.now()) or "", action=run.action, target=run.target,
                                    run_id=run.run_id)
            try:
                h = await locks.acquire(self.engine.pool, spec, owner,
                                        break_owner=stale.get(spec) if break_stale else None)
            except locks.LockBusy as e:
                hint = (" (confirm breaking it: --break-stale-lock, or the confirm screen)"
                        if e.stale and not break_stale else "")
                return f"{e}{hint}"
            except locks.LockError as e:
                return str(e)
            held.append(h)
            if h.broke is not None:
                self.audit.lock_broken(run, spec.host, spec.name, h.broke.to_json())
        return None

    async def _run_steps(self, ctx: ActionContext, run: ActionRun) -> bool:
        for i, step in enumerate(run.steps):
            step.state, step.started_at = StepState.RUNNING, clock.now()
            self.audit.step(run, i, step)
            self._changed(run)
            try:
                step.output = await step.spec.run(ctx) if step.spec.run is not None else ""
                step.state = StepState.DONE
            except StepFailed as e:
                step.state = StepState.FAILED
                step.output = "\n".join(x for x in (str(e), e.output) if x)
            except (ActionError, HostDown, ProbeError) as e:
                step.state = StepState.FAILED
                step.output = printable(str(e))
            step.ended_at = clock.now()
            self.audit.step(run, i, step)
            self._changed(run)
            if step.state is StepState.FAILED:
                for rest in run.steps[i + 1:]:
                    rest.state = StepState.SKIPPED
                return False
        return True

    async def _verify(self, ctx: ActionContext, run: ActionRun) -> ActionRun:
        run.state = RunState.VERIFYING
        self._changed(run)
        if run.plan.verify is not None:
            try:
                run.verification = await run.plan.verify(ctx)
            except (ActionError, HostDown, ProbeError) as e:
                run.verification = [Check("verification could run", False, printable(str(e)))]
        self.audit.verify(run, run.verification)
        bad = [c for c in run.verification if not c.ok]
        if bad:
            return self._finish(run, RunState.FAILED, "verification failed: " +
                                "; ".join(f"{c.what}: {c.detail}" for c in bad))
        return self._finish(run, RunState.DONE, "done" + (f", verified: {count(len(run.verification), 'check')} OK"
                                                          if run.verification else ""))

    def _finish(self, run: ActionRun, state: RunState, message: str, *, audited: bool = True) -> ActionRun:
        run.state, run.message, run.finished_at = state, message, clock.now()
        if audited:
            self.audit.end(run)
        self._changed(run)
        return run

