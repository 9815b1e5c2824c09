"""The ONE read-only gate. Every action, from any entry point (key, command
palette, CLI), goes through :meth:`ActionGate.check` in the engine before it can
do anything. The UI hides action bindings in read-only mode, but that is
cosmetic: this gate is what makes read-only true.

``--dry-run`` is decided here too: plans are computed and shown, but
:meth:`ActionGate.check_execute` refuses to run a single step.
"""

from __future__ import annotations


class ReadOnlyRefused(Exception):
    """An action was refused because the cockpit runs read-only."""


class DryRunRefused(Exception):
    """An action's steps were not run because the cockpit runs ``--dry-run``."""


class ActionGate:
    def __init__(self, read_only: bool, reason: str = "--read-only", *, dry_run: bool = False):
        self._read_only = read_only
        self._reason = reason
        self._dry_run = dry_run

    @property
    def read_only(self) -> bool:
        return self._read_only

    @property
    def reason(self) -> str:
        """Why actions are refused (``--read-only``, ``--wallboard``...)."""
        return self._reason

    @property
    def dry_run(self) -> bool:
        return self._dry_run

    def enable_dry_run(self) -> None:
        """One way only: a dry-run cockpit never starts executing."""
        self._dry_run = True

    def check(self, action: str, target: str) -> None:
        if self._read_only:
            raise ReadOnlyRefused(
                f"refused {action} on {target}: this cockpit runs {self._reason}, no action can run")

    def check_execute(self, action: str, target: str) -> None:
        """Before the first step runs: read-only refuses, and so does a dry run."""
        self.check(action, target)
        if self._dry_run:
            raise DryRunRefused(f"dry run: {action} on {target} was planned, nothing was executed")
