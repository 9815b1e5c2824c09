"""The demo's autopilot (screens/demo_autopilot.py) without the full drill: which
key it presses (the inventory's key map, not hard-wired letters), how it reads a
confirm screen, how it finds a row, and that it never presses Run on a confirm
screen whose precondition failed. The whole runbook on the lab is
tests/demo/test_outage_drill.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from sites_states import mixed_sites, sites_inventory
from ui_helpers import feed
from ui_states import mixed_fleet

from cockpit import keymap
from cockpit.actions.model import Check, Plan
from cockpit.actions.targets import TargetKind, resolve
from cockpit.engine.engine import Engine
from cockpit.inventory import load_inventory
from screens.app import CockpitApp
from screens.confirm_action import ConfirmActionScreen
from screens.dashboard import DashboardScreen
from screens.demo_autopilot import (
    NOT_YET,
    OTHER_ROW,
    RUN,
    RUNBOOK,
    STOP_CRON,
    AutopilotError,
    Drill,
    act,
    at_confirm,
    key_for,
    live_copy_refused,
    select_row,
    worth_rerunning,
)


def test_the_runbook_presses_the_default_keys_of_its_actions() -> None:
    keys = keymap.resolve(())
    assert [key_for(keys, s.binding) for s in RUNBOOK] == ["c", "D", "F", "i"]
    assert [s.action for s in RUNBOOK] == ["stop-cron", "move-database", "failover-host", "import-start"]
    assert {s.binding for s in RUNBOOK} <= keymap.known_ids()


def test_a_remapped_key_is_the_one_pressed() -> None:
    keys = keymap.resolve((("stop_cron", "z"), ("pane_disks", "f1,1")))
    assert key_for(keys, "stop_cron") == "z"
    assert key_for(keys, "pane_disks") == "f1"  # the first of several


def test_what_to_do_on_a_confirm_screen() -> None:
    assert at_confirm("acme", "acme", run_disabled=False) == RUN
    assert at_confirm("acme", "acme", run_disabled=True) == NOT_YET  # a precondition failed: look again later
    assert at_confirm("globex", "acme", run_disabled=False) == OTHER_ROW  # rows re-sorted under the cursor
    assert at_confirm("globex", "acme", run_disabled=True) == OTHER_ROW



def test_a_run_that_failed_on_a_timeout_is_run_again_and_nothing_else() -> None:
    # seen at 20 sites per host on a loaded machine: the copy was done, the verification's login timed out
    assert worth_rerunning("verification failed: verification could run: MySQL on standby1 (127.0.0.1:3306 via "
                           "SSH): no answer within 5 s (server hung?)")
    assert worth_rerunning("lock site.acme: host standby1 is down: connect timed out after 5 s")  # ditto, SSH
    assert worth_rerunning("verification failed: MySQL on standby1 (127.0.0.1:3306 via SSH): connection refused "
                           "or closed on the host (MySQL not running?)")  # MariaDB's handshake timeout, ditto
    assert not worth_rerunning("step failed: 1 of 2 sites not failed over")
    assert not worth_rerunning("verification failed: acme.worker on standby1 passes CHECK TABLE: Corrupt")

def test_a_move_that_would_take_sound_tables_from_the_backup_is_not_run(make_inventory, closed_port) -> None:
    # seen at load 40: web1's MySQL timed out while planning, so every table was planned from the backup
    target = resolve(make_inventory({"web1": closed_port}), TargetKind.HOST, "web1")
    live = Check("the current host web1 can be read (sound tables are copied live)", True, "12 tables found")
    timed_out = Check(live.what, True, "no: MySQL on web1 (127.0.0.1:3306 via SSH): no answer within 5 s")
    assert not live_copy_refused(Plan("move-database", target, "Move database", checks=(live,)))
    assert live_copy_refused(Plan("move-database", target, "Move database", checks=(live, timed_out)))


async def test_select_row_walks_to_the_site_down_and_back_up(tmp_path: Path, closed_port: int) -> None:
    engine = Engine(load_inventory(sites_inventory(tmp_path, closed_port)))
    engine.tables.sites.update(mixed_sites())
    app = CockpitApp(engine, poll=False)
    drill = Drill("web1", ["acme"], pause=0, timeout=2)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.sites_feed.deliver()
        await pilot.press("2")
        await pilot.pause()
        for site in ("initech", "acme", "hooli"):  # the last row, the first one, one in between
            await select_row(pilot, drill, "site", site)
            assert app.selection().get("site") == site
        with pytest.raises(AutopilotError, match="no row for site nosuch"):
            await select_row(pilot, drill, "site", "nosuch")


async def test_a_failed_precondition_is_never_run_and_the_remapped_key_is_pressed(make_inventory, closed_port,
                                                                                 monkeypatch) -> None:
    # web1's sshd is gone (closed port): stop-cron's "web1 answers over SSH" fails, so Run stays disabled.
    app = CockpitApp(Engine(make_inventory({"web1": closed_port}, keys={"stop_cron": "z"})), poll=False)
    drill = Drill("web1", [], pause=0, timeout=30, attempts=2, retry_pause=0)
    confirms: list[ConfirmActionScreen] = []
    push_screen = app.push_screen

    def spy(screen, *args, **kwargs):  # type: ignore[no-untyped-def]
        if isinstance(screen, ConfirmActionScreen):
            confirms.append(screen)
        return push_screen(screen, *args, **kwargs)

    monkeypatch.setattr(app, "push_screen", spy)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        feed(app, mixed_fleet())
        await pilot.pause()
        with pytest.raises(AutopilotError, match="stop-cron web1: no runnable confirm screen after 2 tries"):
            await act(pilot, drill, STOP_CRON, "web1")
        assert [s.target_name for s in confirms] == ["web1", "web1"]  # opened with z, read, left: twice
        assert isinstance(app.screen, DashboardScreen)
        assert not app.actions.runs  # nothing was run
