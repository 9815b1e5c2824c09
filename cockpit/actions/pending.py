"""Actions whose engine parts are being built: registered (names, keys, targets,
the plan they will show) so every entry point knows them and the read-only
gate refuses them, but planning stops with "not available yet: needs X".

Each lists what its plan will be, so the confirm screen and ``--list`` say
what is coming.
"""

from __future__ import annotations

from typing import ClassVar

from cockpit.actions.base import Action
from cockpit.actions.context import ActionContext
from cockpit.actions.model import NotAvailable, Plan
from cockpit.actions.targets import Target


class _Pending(Action):
    needs: ClassVar[str] = ""
    typed = True

    async def plan(self, ctx: ActionContext, target: Target) -> Plan:
        raise NotAvailable(f"{self.name} is not available yet: needs {self.needs}")


ACTIONS: list[Action] = []
