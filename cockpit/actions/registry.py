"""Every action by its CLI name (a contract), in the order ``--list`` shows them."""

from __future__ import annotations

from cockpit.actions.base import Action
from cockpit.actions.model import ActionError

NAMES = ("stop-cron", "resume-cron", "maintenance-on", "maintenance-off", "failover-site", "failover-host",
         "restore-table", "restore-corrupt-tables", "move-database", "import-start", "import-resume",
         "import-cancel", "recheck")


class UnknownAction(ActionError):
    pass


def _build() -> dict[str, Action]:
    from cockpit.actions.cron import ResumeCron, StopCron
    from cockpit.actions.failover import FailoverHost, FailoverSite
    from cockpit.actions.imports import ACTIONS as IMPORTS
    from cockpit.actions.maintenance import MaintenanceOff, MaintenanceOn
    from cockpit.actions.move import MoveDatabase
    from cockpit.actions.pending import ACTIONS as PENDING
    from cockpit.actions.recheck import Recheck
    from cockpit.actions.restore import RestoreCorruptTables, RestoreTable

    actions: list[Action] = [StopCron(), ResumeCron(), MaintenanceOn(), MaintenanceOff(), Recheck(), FailoverSite(),
                             FailoverHost(), RestoreTable(),
                             RestoreCorruptTables(), MoveDatabase(), *PENDING, *IMPORTS]
    by_name = {a.name: a for a in actions}
    assert set(by_name) == set(NAMES), set(by_name) ^ set(NAMES)
    return {n: by_name[n] for n in NAMES}


_ACTIONS: dict[str, Action] | None = None


def actions() -> dict[str, Action]:
    global _ACTIONS  # noqa: PLW0603 - built once, on first use
    if _ACTIONS is None:
        _ACTIONS = _build()
    return _ACTIONS


def get(name: str) -> Action:
    try:
        return actions()[name]
    except KeyError:
        raise UnknownAction(f"unknown action {name!r} (see `cockpit action --list`)") from None


def by_binding(binding_id: str) -> Action | None:
    return next((a for a in actions().values() if a.binding == binding_id), None)
