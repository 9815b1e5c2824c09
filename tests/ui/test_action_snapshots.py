"""Snapshots of the action screens at 80x24 and 200x60: the confirm screen of a
destructive action (typed name, a stale lock to break) and the progress of a
finished run. A small App of their own, so dashboard changes do not move them.

Regenerate with ``pytest tests/ui/test_action_snapshots.py --snapshot-update``
and review the SVGs by eye before committing them.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest
from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Static

from cockpit.actions.locks import LockOwner, LockSpec
from cockpit.actions.model import ActionRun, Check, Plan, RunState, StepSpec, StepState
from cockpit.actions.targets import TargetKind, resolve
from screens.action_progress import ActionProgressScreen
from screens.confirm_action import ConfirmActionScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((200, 60), id="200x60")]
SCREENS = Path(__file__).resolve().parents[2] / "screens"


class Shows(App[None]):
    CSS_PATH: ClassVar[list[str | Path]] = [SCREENS / "app.tcss", SCREENS / "confirm_action.tcss"]

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self._shown = screen

    def compose(self) -> ComposeResult:
        yield Static("dashboard behind")

    def on_mount(self) -> None:
        self.push_screen(self._shown)


def plan(make_inventory, closed_port) -> Plan:  # type: ignore[no-untyped-def]
    inv = make_inventory({"web1": closed_port, "standby1": closed_port})
    owner = LockOwner.parse('{"user":"alice","machine":"desk7","pid":4242,"since":"2026-11-25T19:30:00Z",'
                            '"action":"failover-host","target":"web1"}')
    assert owner is not None
    spec = LockSpec("standby1", "failover-host.web1")
    return Plan(
        "failover-host", resolve(inv, TargetKind.HOST, "web1"),
        "Fail over every site of a host to its standby, a few at a time, reporting every site's outcome",
        checks=(Check("web1 has sites to fail over", True, "2 of 2 site(s) have a standby: acme -> standby1, "
                                                            "globex -> standby1"),
                Check("no other action holds failover-host.web1 (lock on standby1)", True,
                      "STALE lock left by alice@desk7 (pid 4242) since 2026-11-25T19:30:00Z, running failover-host "
                      "on web1 (that owner is gone): it is broken only if you confirm breaking it")),
        steps=(StepSpec("Fail over 2 site(s), 4 at a time, each as failover-site with its own preconditions, lock "
                        "and audit; one failure does not stop the others", ("failover-site acme",
                                                                             "failover-site globex")),),
        locks=(spec,), stale_locks=((spec, owner),),
        verification=("every site's failover is done and verified",),
        rollback=("Each site is independent: a failed one keeps its old address.",),
    )


@pytest.mark.parametrize("size", SIZES)
def test_confirm_a_destructive_action_with_a_stale_lock(snap_compare, make_inventory, closed_port, size) -> None:
    screen = ConfirmActionScreen(plan(make_inventory, closed_port), title="Fail over host", typed=True,
                                 dry_run=False)
    assert snap_compare(Shows(screen), terminal_size=size)


def test_progress_of_a_finished_and_a_failed_run(snap_compare, make_inventory, closed_port) -> None:
    p = plan(make_inventory, closed_port)
    done = ActionRun(p, run_id="r1", state=RunState.DONE, message="done, verified: 2 checks OK")
    done.steps[0].state, done.steps[0].output = StepState.DONE, "acme: done: done\nglobex: done: done"
    done.verification = [Check("failover-site acme", True, "done"), Check("failover-site globex", True, "done")]
    failed = ActionRun(p, run_id="r2", state=RunState.FAILED, message="step failed: 1 of 2 site(s) not failed over")
    failed.steps[0].state = StepState.FAILED
    failed.steps[0].output = "1 of 2 site(s) not failed over\nacme: done: done\nglobex: refused: [bold]x[/] tables"
    assert snap_compare(Shows(ActionProgressScreen([done, failed])), terminal_size=(80, 24))
