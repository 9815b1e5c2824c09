"""``cockpit demo --auto``: the engineer's part of the outage, played by
pressing the real keys through the real UI (a Textual Pilot), at a watchable
pace (``pause`` seconds between keys; 0 in the end-to-end test).

The runbook, in order: stop cron on web1 (disks pane, ``c``); move-database
for each web1 site to the standby (tables pane, ``D``); fail over web1's
sites (disks pane, ``F``); start each site's /storage import (tables pane,
``i``); watch the DNS pane until ``dns_settled`` says every server agrees.

The pilot reads the screen as an engineer would (which row the cursor is on,
which target the confirm screen names, whether the action finished); it types
the target's name where the confirm screen asks for it.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from textual.css.query import NoMatches
from textual.pilot import Pilot

from cockpit.actions.model import ActionRun, Plan
from screens.action_progress import ActionProgressScreen
from screens.confirm_action import ConfirmActionScreen

ATTEMPTS = 20
PANE_BINDING = {"disks": "pane_disks", "sites": "pane_sites", "transfers": "pane_transfers", "dns": "pane_dns"}


class AutopilotError(Exception):
    pass


@dataclass
class Drill:
    """What to do, and how the pilot tells the lab is ready or done (callables, so the
    demo can pass the lab's own truth and the test the same)."""

    host: str
    sites: Sequence[str]
    outage_over: Callable[[], bool] = lambda: True
    dns_settled: Callable[[], bool] = lambda: True
    imports_landed: Callable[[], bool] = lambda: True  # every site's /storage is the backup's copy
    pause: float = 0.4
    timeout: float = 600.0
    log: Callable[[str], None] = lambda msg: None
    recovered: Callable[[float], None] = lambda seconds: None  # told the seconds from the first key to the end
    marks: dict[str, float] = field(default_factory=dict)  # step -> monotonic time reached (for the drill bench)
    attempts: int = ATTEMPTS  # confirm screens opened per step before giving up
    retry_pause: float = 3.0  # seconds before looking again at a step whose precondition failed
    run_retries: int = 5  # runs of a step again after it failed on a timeout (a loaded machine)
    rerun_pause: float = 15.0  # seconds before running again: time for a loaded host to answer again


async def fly(pilot: Pilot[int], drill: Drill) -> None:
    """Play the runbook; raises AutopilotError when the UI does not get there."""
    app = pilot.app
    await _until(pilot, drill, drill.outage_over, "the outage to be over")
    drill.marks["first_key"] = time.monotonic()
    await act(pilot, drill, STOP_CRON, drill.host)
    for site in drill.sites:
        await act(pilot, drill, MOVE_DATABASE, site)
    drill.marks["databases_moved"] = time.monotonic()
    await act(pilot, drill, FAILOVER_HOST, drill.host)
    drill.marks["failed_over"] = time.monotonic()
    for site in drill.sites:
        await act(pilot, drill, IMPORT_START, site)
    drill.marks["imports_started"] = time.monotonic()
    await _press(pilot, drill, key_for(_keys(pilot), PANE_BINDING["dns"]))
    await _until(pilot, drill, drill.dns_settled, "every DNS server to answer the standby's address")
    drill.marks["dns_settled"] = time.monotonic()
    await _until(pilot, drill, drill.imports_landed, "every /storage import to be identical to the backup")
    drill.marks["recovered"] = time.monotonic()
    drill.log("runbook done")
    drill.recovered(drill.marks["recovered"] - drill.marks["first_key"])
    app.notify("demo: every step of the runbook is done", title="demo --auto", timeout=10)


@dataclass(frozen=True)
class Step:
    pane: str
    kind: str  # what the pane's cursor selects: host | site
    binding: str  # the key binding's id (cockpit.keymap): the key is the one the inventory's [keys] maps it to
    action: str
    typed: bool  # the confirm screen wants the target's name typed


STOP_CRON = Step("disks", "host", "stop_cron", "stop-cron", typed=False)
MOVE_DATABASE = Step("sites", "site", "move_database", "move-database", typed=True)
FAILOVER_HOST = Step("disks", "host", "failover_host", "failover-host", typed=True)
IMPORT_START = Step("sites", "site", "import_start", "import-start", typed=False)
RUNBOOK = (STOP_CRON, MOVE_DATABASE, FAILOVER_HOST, IMPORT_START)

RUN, OTHER_ROW, NOT_YET = "run", "other-row", "not-yet"
# MySQL / SSH messages of a server too slow to answer; and MariaDB closing a login that took it longer than
# its own handshake timeout (10 s) because the cockpit's loop stalled (seen at 20 sites on a loaded machine)
TIMEOUT_WORDS = ("no answer within", "timed out after", "connection refused or closed on the host")


def key_for(keys: Mapping[str, str], binding: str) -> str:
    """The key an engineer presses for ``binding`` (the first, if the inventory maps several)."""
    return keys[binding].split(",")[0].strip()


def at_confirm(shown_target: str, wanted: str, run_disabled: bool) -> str:
    """What to do on a confirm screen: RUN it; OTHER_ROW when it names another target (the rows
    re-sorted under the cursor: escape and select again); NOT_YET when a precondition failed
    (e.g. the host just came back from its reboot: escape and look again a little later)."""
    if shown_target != wanted:
        return OTHER_ROW
    return NOT_YET if run_disabled else RUN


def live_copy_refused(plan: Plan) -> bool:
    """A move-database plan that takes every table from the backup because the current host's MySQL did
    not answer in time (a loaded machine): running it would lose the rows newer than the backup. In the
    drill web1's MySQL stays readable after the reboot, so an engineer looks again instead."""
    return any(c.what.startswith("the current host ") and c.detail.startswith("no:") for c in plan.checks)


def worth_rerunning(message: str) -> bool:
    """A run that failed only because a server did not answer in time (a loaded machine): an engineer
    runs it again. The runbook's actions are safe to run twice (move-database sets the standby's
    earlier copies aside, a started import is not started again)."""
    return any(said in message for said in TIMEOUT_WORDS)


async def act(pilot: Pilot[int], drill: Drill, step: Step, target: str) -> None:
    """Select ``target`` in the step's pane, press the step's key, read the confirm screen (typing the
    name where asked) and run it; wait for the run to finish, running it again (``run_retries``) if it
    failed on a timeout. Raises AutopilotError if it cannot."""
    action = step.action
    for retry in range(drill.run_retries + 1):
        before = await _start(pilot, drill, step, target)
        drill.log(f"{action} {target}: started")
        run = await _until_value(pilot, drill, functools.partial(_finished, pilot, action, target, before),
                                 f"{action} {target} to finish")
        drill.log(f"{action} {target}: {run.outcome}")
        if run.ok:
            break
        if retry < drill.run_retries and worth_rerunning(run.message):
            drill.log(f"{action} {target}: a server did not answer in time; running it again")
            await _leave_overlays(pilot, drill)
            await pilot.pause(drill.rerun_pause)
            continue
        raise AutopilotError(f"{action} {target}: {run.outcome}")
    await _leave_overlays(pilot, drill)
    pilot.app.refresh()


async def _start(pilot: Pilot[int], drill: Drill, step: Step, target: str) -> int:
    """Start ``step`` on ``target`` through the UI; returns how many runs there were before it."""
    keys = _keys(pilot)
    kind, key, action, typed = step.kind, key_for(keys, step.binding), step.action, step.typed
    for _attempt in range(drill.attempts):
        await _leave_overlays(pilot, drill)
        await _press(pilot, drill, key_for(keys, PANE_BINDING[step.pane]))
        await select_row(pilot, drill, kind, target)
        before = len(_runs(pilot))
        await _press(pilot, drill, key)
        screen = await _wait_confirm(pilot, drill)
        if screen is None:
            if action in ("stop-cron", "import-start") and len(_runs(pilot)) > before:
                return before  # no confirm screen: it ran at once
            continue
        if at_confirm(screen.target_name, target, run_disabled=False) == OTHER_ROW:
            await _press(pilot, drill, "escape")
            continue
        if typed:
            await _press(pilot, drill, "shift+tab")
            await pilot.press(*target)
            await pilot.pause(drill.pause)
        if pilot.app.screen is not screen:  # someone else's key took it away (the user drives too): again
            continue
        run_button = screen.query_one("#confirm-run")
        if at_confirm(screen.target_name, target, run_button.disabled or live_copy_refused(screen.plan)) == NOT_YET:
            await _press(pilot, drill, "escape")
            await pilot.pause(drill.retry_pause)
            continue
        run_button.focus()
        await _press(pilot, drill, "enter")
        return before
    raise AutopilotError(f"{action} {target}: no runnable confirm screen after {drill.attempts} tries "
                         "(preconditions not met?)")


def _keys(pilot: Pilot[int]) -> Mapping[str, str]:
    return pilot.app.keys  # type: ignore[attr-defined,no-any-return]


def _runs(pilot: Pilot[int]) -> list[ActionRun]:
    return list(pilot.app.actions.runs)  # type: ignore[attr-defined]


def _finished(pilot: Pilot[int], action: str, target: str, after: int) -> ActionRun | None:
    """The run of ``action`` on ``target`` started after the first ``after`` runs, once it is finished."""
    for run in reversed(_runs(pilot)[after:]):
        if run.action == action and run.target == target:
            return run if run.finished else None
    return None


async def _leave_overlays(pilot: Pilot[int], drill: Drill) -> None:
    while isinstance(pilot.app.screen, (ActionProgressScreen, ConfirmActionScreen)):
        await _press(pilot, drill, "escape")


async def select_row(pilot: Pilot[int], drill: Drill, kind: str, target: str) -> None:
    """Move the cursor of the active pane onto ``target`` (rows may still be arriving)."""
    deadline = time.monotonic() + drill.timeout
    while time.monotonic() < deadline:
        for _ in range(300):  # to the top, one row at a time (as a hand on the arrow keys)
            if (getattr(pilot.app.focused, "cursor_row", 0) or 0) <= 0:
                break
            await pilot.press("up")
        for _ in range(300):
            if _selection(pilot).get(kind) == target:
                return
            before = _selection(pilot).get(kind)
            await pilot.press("down")
            if _selection(pilot).get(kind) == before and before is not None and _at_end(pilot):
                break
        await pilot.pause(0.5)
    raise AutopilotError(f"no row for {kind} {target} in the active pane")


def _at_end(pilot: Pilot[int]) -> bool:
    table = pilot.app.focused
    row = getattr(table, "cursor_row", None)
    count = getattr(table, "row_count", None)
    return row is None or count is None or row >= count - 1


def _selection(pilot: Pilot[int]) -> dict[str, str]:
    return dict(pilot.app.selection())  # type: ignore[attr-defined]


async def _wait_confirm(pilot: Pilot[int], drill: Drill) -> ConfirmActionScreen | None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if isinstance(pilot.app.screen, ConfirmActionScreen):
            await pilot.pause(drill.pause)
            return pilot.app.screen
        await pilot.pause(0.1)
    return None


async def _press(pilot: Pilot[int], drill: Drill, key: str) -> None:
    await pilot.press(key)
    await pilot.pause(drill.pause)


async def _until(pilot: Pilot[int], drill: Drill, cond: Callable[[], bool], what: str) -> None:
    """Wait for a condition the caller reads from the lab (blocking: run in a thread)."""
    deadline = time.monotonic() + drill.timeout
    while time.monotonic() < deadline:
        if await asyncio.to_thread(cond):
            return
        await pilot.pause(1.0)
    raise AutopilotError(f"timed out waiting for {what}")


async def _until_value(pilot: Pilot[int], drill: Drill, get: Callable[[], ActionRun | None], what: str) -> ActionRun:
    deadline = time.monotonic() + drill.timeout
    while time.monotonic() < deadline:
        value = get()
        if value is not None:
            return value
        await pilot.pause(0.5)
    raise AutopilotError(f"timed out waiting for {what}")


def autopilot(spec: dict[str, Any]) -> Callable[[Pilot[Any]], Coroutine[Any, Any, None]]:
    """The ``auto_pilot`` of ``App.run`` for ``cockpit demo --auto`` (``spec``: :class:`Drill`'s fields)."""
    auto = bool(spec.pop("auto", True))
    drill = Drill(**spec)

    async def run(pilot: Pilot[Any]) -> None:
        from cockpit.timeline.history import History
        from widgets.demo_story import DemoStory

        while not callable(getattr(pilot.app.screen, "target_selection", None)):  # the dashboard is up
            await pilot.pause(0.1)
        engine = pilot.app.engine  # type: ignore[attr-defined]
        await pilot.app.screen.mount(DemoStory(History.for_inventory(engine.inventory, engine.timeline)))
        if not auto:
            return  # the user drives; ? shows the runbook
        try:
            await fly(pilot, drill)
        except AutopilotError as e:
            pilot.app.notify(str(e), title="demo --auto stopped", severity="error", markup=False, timeout=30)
        except NoMatches:  # the user quit (or left a screen) while the pilot was reading it: nothing to report
            if pilot.app.is_running:
                pilot.app.notify("the screen changed under it", title="demo --auto stopped", severity="warning")

    return run
