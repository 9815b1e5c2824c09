"""The ONE read-only gate. Every action, from any entry point (key, command
palette, CLI), goes through :meth:`ActionGate.check` in the engine before it can
do anything. The UI hides action bindings in read-only mode, but that is
cosmetic: this gate is what makes read-only true."""

from __future__ import annotations


class ReadOnlyRefused(Exception):
    """An action was refused because the cockpit runs read-only."""


class ActionGate:
    def __init__(self, read_only: bool, reason: str = "--read-only"):
        self._read_only = read_only
        self._reason = reason

    @property
    def read_only(self) -> bool:
        return self._read_only

    def check(self, action: str, target: str) -> None:
        if self._read_only:
            raise ReadOnlyRefused(
                f"refused {action} on {target}: this cockpit runs {self._reason}, no action can run")
