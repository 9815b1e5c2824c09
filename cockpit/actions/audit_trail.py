"""What actions write to the audit log (:mod:`cockpit.audit.log`), and finding
runs a crash left unfinished.

Records (one JSON line each, fsynced, secrets scrubbed by the log):

* ``action-start``: run_id, parent, action, target, identity, dry_run, plan (steps, exact commands);
* ``action-step``: run_id, step (index), title, state (running, done, failed), output;
* ``action-verify``: run_id, checks [{what, ok, detail}];
* ``action-end``: run_id, action, target, result (done, failed, refused), message;
* ``lock-broken``: host, lock, the broken owner, by run_id;
* ``lock-left``: host, lock: a finished run whose lock could not be removed (the host did not answer);
* ``action-incomplete``: run_id, action, target, started_at: a run that has a
  start and no end, and whose process is gone (written once, at the next start).

The timeline reads these (``kind`` starting with ``action-`` or ``lock-``).
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cockpit.actions.model import ActionRun, Check, StepRun
from cockpit.audit.log import AuditLog, read_records

ACTION_KINDS = ("action-start", "action-step", "action-verify", "action-end", "action-incomplete", "lock-broken",
                "lock-left")


class ActionAudit:
    def __init__(self, log: AuditLog):
        self.log = log

    @property
    def path(self) -> Path:
        return self.log.path

    def start(self, run: ActionRun, *, dry_run: bool = False) -> None:
        self.log.record("action-start", run_id=run.run_id, parent=run.parent, action=run.action,
                        target=run.target, identity=run.plan.target.identity, dry_run=dry_run,
                        plan=run.plan.to_json())

    def step(self, run: ActionRun, index: int, step: StepRun) -> None:
        self.log.record("action-step", run_id=run.run_id, action=run.action, target=run.target, step=index,
                        title=step.spec.title, host=step.spec.host, state=str(step.state), output=step.output)

    def verify(self, run: ActionRun, checks: list[Check]) -> None:
        self.log.record("action-verify", run_id=run.run_id, action=run.action, target=run.target,
                        checks=[c.to_json() for c in checks], ok=all(c.ok for c in checks))

    def end(self, run: ActionRun) -> None:
        self.log.record("action-end", run_id=run.run_id, action=run.action, target=run.target,
                        result=str(run.state), message=run.message)

    def lock_broken(self, run: ActionRun, host: str, lock: str, owner: dict[str, Any] | None) -> None:
        self.log.record("lock-broken", run_id=run.run_id, action=run.action, target=run.target, host=host,
                        lock=lock, broken_owner=owner)

    def lock_left(self, run: ActionRun, host: str, lock: str) -> None:
        """The run ended but its lock could not be removed (the host stopped answering): it shows as
        stale, and breaking it takes a confirm."""
        self.log.record("lock-left", run_id=run.run_id, action=run.action, target=run.target, host=host,
                        lock=lock)

    def mark_incomplete(self) -> list[dict[str, Any]]:
        """Record (once) every run that started and never ended and whose process is gone."""
        found = list(incomplete_runs(self.path))
        for rec in found:
            self.log.record("action-incomplete", run_id=rec.get("run_id"), action=rec.get("action"),
                            target=rec.get("target"), started_at=rec.get("at"), started_by=rec.get("user"),
                            started_pid=rec.get("pid"),
                            message="started and never finished (the cockpit running it crashed or was "
                                    "killed): check the target, then run the action again")
        return found


def _process_gone(rec: dict[str, Any]) -> bool:
    if rec.get("machine") != socket.gethostname():
        return True  # another machine's run: its audit lives with it; report it as unfinished here
    pid = rec.get("pid")
    if not isinstance(pid, int):
        return True
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    # the pid exists: it is ours only if it is still a cockpit started before the record
    with contextlib.suppress(OSError):
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        return b"cockpit" not in cmdline
    return False


def incomplete_runs(path: Path) -> Iterator[dict[str, Any]]:
    """``action-start`` records with no ``action-end`` and no ``action-incomplete``, process gone."""
    started: dict[str, dict[str, Any]] = {}
    closed: set[str] = set()
    for rec in read_records(path):
        kind, run_id = rec.get("kind"), rec.get("run_id")
        if not isinstance(run_id, str):
            continue
        if kind == "action-start":
            started[run_id] = rec
        elif kind in ("action-end", "action-incomplete"):
            closed.add(run_id)
    for run_id, rec in started.items():
        if run_id not in closed and _process_gone(rec):
            yield rec
