"""The fault drills that need the cockpit as a real PROCESS (issue #8): the
real TUI (``python -m screens.launch``, what ``cockpit`` runs) in a private
tmux, keys pressed as an operator does, then SIGKILL; a second cockpit
(CockpitApp under Pilot, same inventory, same audit and state) shows what the
operator sees after the restart, and the lab says whether the job got done.

* SIGKILL mid-action: maintenance-on whose hook waits on the host; after the
  kill, the new cockpit flags the incomplete action (its notification and the
  timeline), and the same key (breaking the stale lock in the confirm) finishes it.
* SIGKILL during an import: the new cockpit's transfers pane shows the SAME
  rsync (its recorded pid) running and its bytes growing: the import reattached.
* two cockpits on one site: both confirm screens open (the lock is free), both
  press Run: exactly one hook runs, the other shows "locked by ... since ...",
  and the audit has both runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tomllib
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import transfer_drills
from drillkit import Drill, drill_inventory
from textual.widgets import Checkbox
from textual.widgets._toast import Toast
from tui_process import TuiProcess, tmux_missing

from cockpit.actions.model import RunState
from cockpit.audit.log import Actor, read_records
from cockpit.engine.engine import Engine
from cockpit.engine.statefile import StateFile
from cockpit.inventory import load_inventory
from cockpit.lab import Lab
from cockpit.lab.inventory_writer import dumps
from screens.action_progress import ActionProgressScreen
from screens.app import CockpitApp
from screens.confirm_action import ConfirmActionScreen
from screens.timeline import TimelineScreen
from widgets.timeline_log import TimelineLog
from widgets.transfers_pane import TransfersPane

pytestmark = [pytest.mark.lab]

# A hook that says it started, then waits for the drill's go-ahead: the action is mid-step, for sure.
HOOK = ("mkdir -p /run/t && echo $$ > /run/t/$COCKPIT_SITE.started && "
        "while [ ! -e /run/t/$COCKPIT_SITE.go ]; do sleep 0.1; done && echo done >> /run/t/$COCKPIT_SITE.ran")
CRASH_SITE, CRASH_HOST = "globex", "web1"
RACE_SITE, RACE_HOST = "initech", "web2"
IMPORT_SITE, IMPORT_DEST = transfer_drills.SITE, transfer_drills.DEST
SITES = ("acme", "globex", "initech")  # the lab's sites (the Tables pane's rows)
IMPORT_STATE = f"/var/lib/cockpit/imports/{IMPORT_SITE}"


@pytest.fixture(scope="module")
def inventory(lab: Lab, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The drill inventory (short intervals, own known_hosts) with its own audit and state (both cockpits
    share them, as two cockpits run from one inventory do), the waiting hook on two sites, and a slow
    import (it must still run when the second cockpit looks)."""
    if (why := tmux_missing()) is not None:
        pytest.skip(why)
    into = tmp_path_factory.mktemp("process-drills")
    path = drill_inventory(lab, into)
    data: dict[str, Any] = tomllib.loads(path.read_text())
    data["audit_file"], data["state_dir"] = str(into / "audit.jsonl"), str(into / "state")
    for s in data["sites"]:
        if s["name"] in (CRASH_SITE, RACE_SITE):
            s["maintenance_on"] = [HOOK]
    data["storage"]["bwlimit_kbps"] = 400
    path.write_text(dumps(data, "process drills: the drill inventory with waiting hooks"))
    return path


@pytest.fixture
def tui(inventory: Path) -> Iterator[Callable[[], TuiProcess]]:
    started: list[TuiProcess] = []

    def start() -> TuiProcess:
        started.append(TuiProcess(inventory))
        return started[-1]

    yield start
    for p in started:
        p.close()


@contextlib.asynccontextmanager
async def pilot_cockpit(lab: Lab, inventory: Path) -> AsyncIterator[Drill]:
    app = CockpitApp(Engine(load_inventory(inventory)))
    async with app.run_test(size=(160, 50), notifications=True) as pilot:  # toasts drawn, as on a terminal
        yield Drill(app, pilot, lab)


def sh(lab: Lab, host: str, script: str) -> str:
    p = lab.exec(host, ["sh", "-c", script])
    return p.stdout.decode(errors="replace")


def reset_hook(lab: Lab, host: str, site: str) -> None:
    sh(lab, host, f"rm -f /run/t/{site}.*; rm -rf /run/cockpit/locks/site.{site}")


def hook_started(lab: Lab, host: str, site: str) -> bool:
    return sh(lab, host, f"test -e /run/t/{site}.started && echo yes").strip() == "yes"


def audit(inventory: Path) -> list[dict[str, Any]]:
    return list(read_records(inventory.parent / "audit.jsonl"))


async def wait_in_thread(fn: Callable[[], Any]) -> Any:
    return await asyncio.to_thread(fn)


# -- the operator's keys, in the process and under Pilot --------------------------------------------
def proc_confirm(tui: TuiProcess, site: str, key: str, title: str) -> None:
    """In the process: the Tables pane, filter to ``site`` (its row under the cursor), the action's key,
    the confirm screen for that site open (Run not yet pressed). Each key waits for what it changes on
    the screen (the footer names the focused part's keys): a key sent before focus moved goes elsewhere."""
    tui.wait_text(site)
    tui.press("2")
    tui.wait(lambda: "Re-check site" in tui.footer(), "the Tables pane focused")
    tui.press("/")
    tui.wait(lambda: "Re-check site" not in tui.footer() and "filter sites" in tui.screen(), "the filter box")
    tui.type(site)
    tui.wait(lambda: any("▊" in ln and site in ln for ln in tui.screen().splitlines()), f"{site} in the filter box")
    tui.press("Enter")
    tui.wait(lambda: "Re-check site" in tui.footer(), "the table focused again")
    others = [s for s in SITES if s != site]
    tui.wait(lambda: f"┃ {site} " in tui.screen() and not any(f"┃ {o} " in tui.screen() for o in others),
             f"the Tables pane filtered to {site}")
    tui.press(key)
    tui.wait_text(f"Confirm: {title}")
    tui.wait(lambda: any("Target:" in ln and f"site {site}," in ln for ln in tui.screen().splitlines()),
             f"the confirm screen to target {site}")
    assert "Cannot run" not in tui.screen(), tui.screen()


def proc_run(tui: TuiProcess) -> None:
    tui.press("Tab", "Enter")  # focus starts on Cancel; Tab is Run


async def pilot_confirm(d: Drill, site: str, key: str) -> ConfirmActionScreen:
    app = d.app
    await d.until(lambda: d.site_shows(site, ""), f"{site} in the Tables pane", pane="sites")
    await d.pilot.press(app.keys["pane_sites"], "slash", *site, "enter")
    await d.until(lambda: app.dashboard.target_selection().get("site") == site, f"the cursor on {site}")
    await d.pilot.press(app.keys[key])
    await d.until(lambda: isinstance(app.screen, ConfirmActionScreen), "the confirm screen")
    screen = app.screen
    assert isinstance(screen, ConfirmActionScreen) and screen.target_name == site
    return screen


async def pilot_focus(d: Drill, widget_id: str) -> None:
    for _ in range(8):
        if d.app.focused is not None and d.app.focused.id == widget_id:
            return
        await d.pilot.press("tab")
    raise AssertionError(f"tab never reached #{widget_id}")


def toasts(d: Drill) -> list[str]:
    return [t.render().plain for t in d.app.screen.query(Toast)]


def timeline_text(d: Drill) -> str:
    log = d.app.screen.query_one(TimelineLog)
    return " ".join(line.text.strip() for line in log.lines)  # wrapped lines joined again


# -- the drills -------------------------------------------------------------------------------------
@pytest.mark.drill("the cockpit killed (SIGKILL) mid-action: restart flags it, the key finishes it")
async def test_sigkill_mid_action_then_the_restarted_cockpit_flags_it_and_its_key_finishes_it(
        lab: Lab, inventory: Path, tui: Callable[[], TuiProcess]) -> None:
    reset_hook(lab, CRASH_HOST, CRASH_SITE)
    first = tui()
    await wait_in_thread(lambda: proc_confirm(first, CRASH_SITE, "m", "Maintenance on"))
    proc_run(first)
    await wait_in_thread(lambda: first.wait(lambda: hook_started(lab, CRASH_HOST, CRASH_SITE),
                                            "the hook to start on the host"))
    await wait_in_thread(first.sigkill)
    started = [r for r in audit(inventory) if r["kind"] == "action-start" and r["target"] == CRASH_SITE]
    assert [r["pid"] for r in started] == [first.pid]
    assert not [r for r in audit(inventory) if r["kind"] == "action-end" and r["target"] == CRASH_SITE]

    async with pilot_cockpit(lab, inventory) as d:
        # what the operator sees at once: the incomplete action, who and when
        await d.until(lambda: any("maintenance-on on globex" in t and "never finished" in t for t in toasts(d)),
                      "the incomplete-action notification")
        note = next(t for t in toasts(d) if "never finished" in t)
        assert started[0]["at"] in note and "incomplete action" in note
        await d.pilot.press(d.app.keys["timeline"])
        await d.until(lambda: isinstance(d.app.screen, TimelineScreen) and "maintenance-on on globex never "
                      "finished" in timeline_text(d), "the timeline to show the incomplete action")
        await d.pilot.press("escape")

        # the same key again: the plan shows the stale lock of the killed cockpit; tick it, Run
        sh(lab, CRASH_HOST, f"touch /run/t/{CRASH_SITE}.go")  # the killed run's hook (still waiting) may end
        confirm = await pilot_confirm(d, CRASH_SITE, "maintenance_on")
        assert confirm.plan.stale_locks and confirm.plan.stale_locks[0][1].pid == first.pid
        await pilot_focus(d, "confirm-break")
        await d.pilot.press("space")
        assert confirm.query_one("#confirm-break", Checkbox).value
        await pilot_focus(d, "confirm-run")
        await d.pilot.press("enter")
        await d.until(lambda: bool(d.app.actions.runs) and d.app.actions.runs[-1].finished, "the re-run to end")
        run = d.app.actions.runs[-1]
        assert run.state is RunState.DONE, run.message
        assert isinstance(d.app.screen, ActionProgressScreen)
        shown = str(d.app.screen.query_one("#progress-runs").render())
        assert f"maintenance-on {CRASH_SITE}  done" in shown

    # the truth, from the lab and the files: the hook ran to its end, the lock is gone, all audited
    assert "done" in sh(lab, CRASH_HOST, f"cat /run/t/{CRASH_SITE}.ran")
    assert sh(lab, CRASH_HOST, f"ls /run/cockpit/locks | grep -x site.{CRASH_SITE}").strip() == ""
    state = StateFile(inventory.parent / "state" / "state.json").load()
    assert state["maintenance"][CRASH_SITE]["on"] is True
    recs = [r for r in audit(inventory) if r.get("target") == CRASH_SITE]
    assert [r["run_id"] for r in recs if r["kind"] == "action-incomplete"] == [started[0]["run_id"]]
    assert [r["broken_owner"]["pid"] for r in recs if r["kind"] == "lock-broken"] == [first.pid]
    assert [(r["run_id"], r["result"]) for r in recs if r["kind"] == "action-end"] == [(run.run_id, "done")]


@pytest.mark.drill("the cockpit killed (SIGKILL) during an import: the import reattaches")
async def test_sigkill_during_an_import_then_the_restarted_cockpit_shows_the_same_rsync_progressing(
        lab: Lab, inventory: Path, tui: Callable[[], TuiProcess]) -> None:
    def rsync_pid() -> str:
        return sh(lab, IMPORT_DEST, f"cut -d' ' -f1 {IMPORT_STATE}/pid 2>/dev/null").strip()

    await asyncio.to_thread(transfer_drills.clean_lab, lab)
    first = tui()
    await wait_in_thread(lambda: proc_confirm(first, IMPORT_SITE, "i", "Start import"))
    proc_run(first)
    await wait_in_thread(lambda: first.wait(lambda: rsync_pid() != "", "rsync to start on the destination"))
    await wait_in_thread(lambda: first.wait_text(f"import-start {IMPORT_SITE}"))  # its progress screen
    pid = rsync_pid()
    await wait_in_thread(first.sigkill)
    assert sh(lab, IMPORT_DEST, f"kill -0 {pid} && echo alive").strip() == "alive"  # detached: it survives

    async with pilot_cockpit(lab, inventory) as d:
        try:
            pane = d.app.dashboard.query_one(TransfersPane)

            def done_bytes() -> int:
                return next((s.bytes_done for s in pane.statuses if s.site == IMPORT_SITE), 0) or 0

            await d.until(lambda: transfer_drills.shows(d, "▶ running"), "the import row, running",
                          pane="transfers")
            seen = done_bytes()
            await d.until(lambda: done_bytes() > seen and transfer_drills.shows(d, "▶ running"),
                          "the import's bytes to grow (progressing, still running)", pane="transfers")
            assert rsync_pid() == pid  # the same rsync: reattached, not started again
            assert sh(lab, IMPORT_DEST, f"kill -0 {pid} && echo alive").strip() == "alive"
            await d.answers_keys()
        finally:
            await transfer_drills.finish(d)


@pytest.mark.drill("two cockpits acting on the same site: one runs, the other is told who holds it")
async def test_two_cockpits_press_the_same_action_exactly_one_runs_the_other_names_the_holder(
        lab: Lab, inventory: Path, tui: Callable[[], TuiProcess]) -> None:
    reset_hook(lab, RACE_HOST, RACE_SITE)
    other = tui()
    async with pilot_cockpit(lab, inventory) as d:
        # both operators open the confirm: the lock is free in both plans
        await wait_in_thread(lambda: proc_confirm(other, RACE_SITE, "m", "Maintenance on"))
        confirm = await pilot_confirm(d, RACE_SITE, "maintenance_on")
        assert not confirm.plan.blocked
        proc_run(other)  # the process presses Run first: its hook starts and waits
        await wait_in_thread(lambda: other.wait(lambda: hook_started(lab, RACE_HOST, RACE_SITE),
                                                "the process's hook to start"))
        await pilot_focus(d, "confirm-run")
        await d.pilot.press("enter")
        await d.until(lambda: bool(d.app.actions.runs) and d.app.actions.runs[-1].finished, "our run to end")
        run = d.app.actions.runs[-1]
        assert run.state is RunState.REFUSED
        await d.until(lambda: isinstance(d.app.screen, ActionProgressScreen), "the progress screen")
        shown = str(d.app.screen.query_one("#progress-runs").render())
        assert f"is locked by {Actor.current().user}@" in shown and f"(pid {other.pid}) since " in shown, shown
        assert "running maintenance-on on initech" in shown

        sh(lab, RACE_HOST, f"touch /run/t/{RACE_SITE}.go")
        await wait_in_thread(lambda: other.wait(
            lambda: any(r["kind"] == "action-end" and r["pid"] == other.pid for r in audit(inventory)),
            "the process's run to end"))
    ends = {r["pid"]: r["result"] for r in audit(inventory) if r["kind"] == "action-end" and r["target"] == RACE_SITE}
    assert ends == {other.pid: "done", os.getpid(): "refused"}  # the process ran it; this cockpit was refused
    starts = [r for r in audit(inventory) if r["kind"] == "action-start" and r["target"] == RACE_SITE]
    assert len(starts) == 2  # the audit has both
    assert sh(lab, RACE_HOST, f"cat /run/t/{RACE_SITE}.ran").count("done") == 1  # exactly one ran
