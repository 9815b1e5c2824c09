"""What an action is made of, as data: checks, a plan of steps, and a live run.

A :class:`Plan` is computed before anything runs (preconditions included) and
is shown to the engineer as is: every step's plain words and the exact
commands, SQL or DNS changes it will make. An :class:`ActionRun` is the live
state of one execution: each step pending, running, done or failed with its
output, then the verification. The UI renders runs; the audit records them.
"""

from __future__ import annotations

import enum
import itertools
import os
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from cockpit import clock

if TYPE_CHECKING:
    from cockpit.actions.context import ActionContext
    from cockpit.actions.locks import LockOwner, LockSpec
    from cockpit.actions.targets import Target


class StepState(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"  # not run because an earlier step failed


class RunState(enum.StrEnum):
    PLANNED = "planned"
    LOCKING = "locking"
    RUNNING = "running"
    VERIFYING = "verifying"
    DONE = "done"
    FAILED = "failed"  # a step or the verification failed
    REFUSED = "refused"  # read-only, dry run, preconditions, or a lock held by someone else


FINAL = frozenset({RunState.DONE, RunState.FAILED, RunState.REFUSED})

StepFn = Callable[["ActionContext"], Awaitable[str]]


class ActionError(Exception):
    """A clear, one-line reason an action cannot go on (never a traceback)."""


class NotAvailable(ActionError):
    """The action is registered but needs an engine part that is not built yet."""


class StepFailed(ActionError):
    """A step ran and failed; ``output`` is what it printed (already made printable)."""

    def __init__(self, message: str, output: str = ""):
        super().__init__(message)
        self.output = output


@dataclass(frozen=True)
class Check:
    """One precondition or verification: what was checked, whether it holds, and what was seen."""

    what: str
    ok: bool
    detail: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"what": self.what, "ok": self.ok, "detail": self.detail}


@dataclass(frozen=True)
class StepSpec:
    """One step of a plan: plain words, the exact commands, where they run, and how."""

    title: str
    commands: tuple[str, ...] = ()
    host: str | None = None
    run: StepFn | None = None  # None: nothing to execute (a note)

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "host": self.host, "commands": list(self.commands)}


@dataclass(frozen=True)
class Plan:
    action: str
    target: Target
    summary: str
    checks: tuple[Check, ...] = ()
    steps: tuple[StepSpec, ...] = ()
    verification: tuple[str, ...] = ()  # what will be checked after the last step
    rollback: tuple[str, ...] = ()  # what to do if a step fails
    locks: tuple[LockSpec, ...] = ()
    notes: tuple[str, ...] = ()
    stale_locks: tuple[tuple[LockSpec, LockOwner], ...] = ()  # seen when planned; broken only if confirmed
    verify: Callable[[ActionContext], Awaitable[list[Check]]] | None = None

    @property
    def blocked(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def to_json(self) -> dict[str, Any]:
        return {
            "action": self.action, "target": self.target.name, "identity": self.target.identity,
            "summary": self.summary, "checks": [c.to_json() for c in self.checks],
            "steps": [s.to_json() for s in self.steps], "verification": list(self.verification),
            "rollback": list(self.rollback), "locks": [f"{lk.name} on {lk.host}" for lk in self.locks],
            "notes": list(self.notes),
        }


@dataclass
class StepRun:
    spec: StepSpec
    state: StepState = StepState.PENDING
    output: str = ""
    started_at: datetime | None = None
    ended_at: datetime | None = None


_COUNTER = itertools.count(1)


def new_run_id() -> str:
    return f"{clock.now().strftime('%Y%m%dT%H%M%SZ')}-{os.getpid()}-{next(_COUNTER)}"


@dataclass
class ActionRun:
    """The live state of one execution (mutated by the runner only)."""

    plan: Plan
    run_id: str = field(default_factory=new_run_id)
    parent: str | None = None  # run id of the action that started this one
    state: RunState = RunState.PLANNED
    steps: list[StepRun] = field(default_factory=list)
    verification: list[Check] = field(default_factory=list)
    message: str = ""  # the outcome in one line
    started_at: datetime = field(default_factory=clock.now)
    finished_at: datetime | None = None
    children: list[ActionRun] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.steps:
            self.steps = [StepRun(s) for s in self.plan.steps]

    @property
    def action(self) -> str:
        return self.plan.action

    @property
    def target(self) -> str:
        return self.plan.target.name

    @property
    def finished(self) -> bool:
        return self.state in FINAL

    @property
    def ok(self) -> bool:
        return self.state is RunState.DONE

    @property
    def outcome(self) -> str:
        """The state and the message in one phrase, the state said once ("done, verified: ...",
        "failed: step failed: ...")."""
        state = f"{self.state}"
        return self.message if self.message.startswith(state) else f"{state}: {self.message}"
