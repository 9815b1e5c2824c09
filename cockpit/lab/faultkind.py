"""What a fault is: a name, its arguments, how to inject it and how to heal it.

``apply`` returns JSON-able data that ``heal`` gets back (through the state
file, so ``lab heal`` in another process can undo what ``lab fault`` did).
Faults in the same ``slot`` on one host replace each other: the old one is
healed before the new one is applied (e.g. ``degrade-raid`` then ``resync-raid``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cockpit.lab.host import HostHandle
    from cockpit.lab.services.base import LabContext
    from cockpit.lab.state import FaultRec

ApplyFn = Callable[["LabContext", "HostHandle", list[str]], dict[str, Any]]
HealFn = Callable[["LabContext", "HostHandle", "FaultRec"], None]


@dataclass(frozen=True)
class FaultKind:
    name: str
    usage: str  # argument synopsis for help, e.g. "MOUNTPOINT PERCENT"
    summary: str
    apply: ApplyFn
    heal: HealFn
    min_args: int = 0
    max_args: int = 0
    slot_by_first_arg: bool = False  # e.g. ro-mount /srv and ro-mount / are separate faults
    slot: str | None = None  # shared slot name (None: the fault's own name)

    def slot_key(self, args: list[str]) -> str:
        base = self.slot or self.name
        return f"{base}:{args[0]}" if self.slot_by_first_arg and args else base
