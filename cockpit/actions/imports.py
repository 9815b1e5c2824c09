"""import-start, import-resume, import-cancel: the /storage import of a site
(from the transfers issue), through the action engine: plan, confirm, lock,
audit, verification. The transfers engine (``engine.transfers``) does the
work; it is idempotent itself (a running import is shown, never doubled;
a resume never deletes; a cancel signals the recorded rsync pid only).
"""

from __future__ import annotations

import asyncio
import shlex
from collections.abc import Awaitable, Callable
from typing import ClassVar

from cockpit import clock
from cockpit.actions.base import Action, site_lock
from cockpit.actions.context import ActionContext
from cockpit.actions.model import Check, Plan, StepFailed, StepSpec
from cockpit.actions.targets import Target, TargetKind
from cockpit.transfers.engine import TransferError
from cockpit.transfers.model import ImportStatus, TransferState
from cockpit.transfers.plan import ImportPlan, PlanError, plan_import

ACTIVE = (TransferState.SCANNING, TransferState.RUNNING, TransferState.STALLED, TransferState.VERIFYING)


def describe(status: ImportStatus | None) -> str:
    if status is None:
        return "no import yet"
    done = f", {status.bytes_done:,} bytes" if status.bytes_done else ""
    since = f", started {clock.iso(status.started_at)} by {status.started_by}" if status.started_at else ""
    why = f" ({status.reason})" if status.reason else ""
    return f"{status.state}{why}{done}{since}"


async def _current(ctx: ActionContext, plan: ImportPlan) -> tuple[ImportStatus | None, Check]:
    t = ctx.engine.transfers
    await t.poll()
    err = t.host_errors.get(plan.destination_host)
    status = t.status_of(plan.site, plan.destination_host)
    what = f"the import's state can be read on {plan.destination_host}"
    return status, Check(what, err is None, err or describe(status))


class _ImportAction(Action):
    kinds = (TargetKind.SITE,)
    verb: ClassVar[str] = ""
    resume: ClassVar[bool] = False  # the plan shows the rsync a resume runs (never --delete)

    async def plan(self, ctx: ActionContext, target: Target) -> Plan:
        assert target.site is not None
        try:
            ip = plan_import(ctx.engine.inventory, target.site.name, resume=self.resume)
        except PlanError as e:
            return Plan(self.name, target, self.summary, checks=(Check("the site can be imported", False, str(e)),))
        status, check = await _current(ctx, ip)
        checks = [Check("the site can be imported", True, f"{ip.source_label} -> {ip.destination_label}"), check]
        checks += self.state_checks(status)
        rsync = "rsync " + " ".join(shlex.quote(a) for a in ip.import_args) + \
                f" {shlex.quote(ip.remote_source)} {shlex.quote(ip.destination_path)}"
        step = self.step(ip, rsync)
        notes = self.notes(status)
        return Plan(self.name, target, self.summary, checks=tuple(checks), steps=(step,) if step else (),
                    locks=(site_lock(ip.destination_host, target.site.name),), notes=notes,
                    verification=(self.expect,),
                    rollback=("Nothing is deleted: an interrupted import keeps what it copied (rsync --partial); "
                              "import-resume continues it, import-cancel stops it.",),
                    verify=self.verifier(ip))

    expect: ClassVar[str] = ""

    def state_checks(self, status: ImportStatus | None) -> list[Check]:
        return []

    def notes(self, status: ImportStatus | None) -> tuple[str, ...]:
        return ()

    def step(self, ip: ImportPlan, rsync: str) -> StepSpec | None:
        raise NotImplementedError

    def verifier(self, ip: ImportPlan) -> Callable[[ActionContext], Awaitable[list[Check]]]:
        async def verify(ctx: ActionContext) -> list[Check]:
            status = None
            for _ in range(50):  # the job records its state a moment after a signal or a start
                await ctx.engine.transfers.poll()
                status = ctx.engine.transfers.status_of(ip.site, ip.destination_host)
                if self.reached(status):
                    break
                await asyncio.sleep(0.2)
            return [Check(self.expect, self.reached(status), describe(status))]

        return verify

    def reached(self, status: ImportStatus | None) -> bool:
        raise NotImplementedError


def _engine_step(title: str, host: str, shown: str, call: str, ip: ImportPlan) -> StepSpec:
    async def run(ctx: ActionContext) -> str:
        t = ctx.engine.transfers
        fn = {"start": t.start, "resume": t.resume, "cancel": t.cancel}[call]
        try:
            result = await fn(ip.site, ip.destination_host)
        except TransferError as e:
            raise StepFailed(str(e)) from None
        return result.message

    return StepSpec(title, (shown,), host, run)


class ImportStart(_ImportAction):
    name = "import-start"
    binding = "import_start"
    title = "Start import"
    summary = ("Start the site's /storage import (rsync from the backup to its standby, or its host if it has none; "
               "detached, verified after)")
    expect = "the import runs (or has already finished)"

    def step(self, ip: ImportPlan, rsync: str) -> StepSpec:
        return _engine_step(f"Start the import on {ip.destination_host} (detached: it survives the cockpit)",
                            ip.destination_host, rsync, "start", ip)

    def notes(self, status: ImportStatus | None) -> tuple[str, ...]:
        if status is not None and status.state in ACTIVE:
            return (f"The import is already {status.state}: starting it again changes nothing.",)
        return ()

    def reached(self, status: ImportStatus | None) -> bool:
        return _runs_or_finished(status)


def _runs_or_finished(status: ImportStatus | None) -> bool:
    """What start and resume both verify: an import exists and has not failed (nor become unreadable)."""
    return status is not None and status.state not in (TransferState.FAILED, TransferState.UNKNOWN)


class ImportResume(_ImportAction):
    name = "import-resume"
    binding = "import_resume"
    title = "Resume import"
    summary = "Run the site's failed or stopped /storage import again (rsync skips what is there, never deletes)"
    resume = True
    expect = "the import runs again (or has finished)"

    def state_checks(self, status: ImportStatus | None) -> list[Check]:
        return [Check("there is an import to resume", status is not None, describe(status))]

    def step(self, ip: ImportPlan, rsync: str) -> StepSpec:
        return _engine_step(f"Resume the import on {ip.destination_host}", ip.destination_host, rsync, "resume", ip)

    def reached(self, status: ImportStatus | None) -> bool:
        return _runs_or_finished(status)


class ImportCancel(_ImportAction):
    name = "import-cancel"
    binding = "import_cancel"
    title = "Cancel import"
    summary = "Stop the site's running /storage import (SIGTERM to the recorded rsync pid; what was copied stays)"
    expect = "the import is no longer running"

    def state_checks(self, status: ImportStatus | None) -> list[Check]:
        return [Check("an import is running", status is not None and status.state in ACTIVE, describe(status))]

    def step(self, ip: ImportPlan, rsync: str) -> StepSpec:
        return _engine_step(f"Send SIGTERM to the import's recorded rsync pid on {ip.destination_host}",
                            ip.destination_host, f"kill -TERM <pid recorded in {ip.state_dir}/pid>", "cancel", ip)

    def reached(self, status: ImportStatus | None) -> bool:
        return status is None or status.state not in ACTIVE


ACTIONS: list[Action] = [ImportStart(), ImportResume(), ImportCancel()]
