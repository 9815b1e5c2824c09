"""What an action sees while it plans and runs: the engine, its persistent
state, the service (to start child actions) and, while running, its run."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cockpit.actions.model import ActionRun
    from cockpit.actions.service import ActionService
    from cockpit.engine.engine import Engine
    from cockpit.engine.statefile import StateFile


@dataclass
class ActionContext:
    service: ActionService
    run: ActionRun | None = None  # None while planning
    held: frozenset[tuple[str, str]] = field(default_factory=frozenset)  # (host, lock) held by this run's ancestors

    @property
    def engine(self) -> Engine:
        return self.service.engine

    @property
    def state(self) -> StateFile:
        return self.service.state
