"""The CLI as real processes: a crash mid-action (SIGKILL) leaves an incomplete
audit record and a stale lock; the next run (breaking the lock on purpose)
completes. Two CLIs racing on one site: exactly one runs, the other names it."""

from __future__ import annotations

import signal
import subprocess
import time
from pathlib import Path

import pytest
from action_lab import REPO, SAFETY, audit, cli, cli_argv, host_sh, make_inventory, site

from cockpit.lab import Lab

pytestmark = pytest.mark.lab
HOST = "web1"
# A hook that says it started, then waits for the test's go-ahead: the action is mid-step, for sure.
BLOCKING = ("mkdir -p /run/t && echo $$ > /run/t/$COCKPIT_SITE.started && "
            "while [ ! -e /run/t/$COCKPIT_SITE.go ]; do sleep 0.1; done && echo done >> /run/t/$COCKPIT_SITE.ran")


def wait_for(cond, what: str, limit: float = SAFETY) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + limit
    while not cond():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.1)


def exists(lab: Lab, path: str) -> bool:
    return host_sh(lab, HOST, f"test -e {path}").returncode == 0


def reset(lab: Lab, name: str) -> None:
    host_sh(lab, HOST, f"rm -f /run/t/{name}.*; rm -rf /run/cockpit/locks/site.{name}")


@pytest.mark.drill("cockpit SIGKILLed mid-action (CLI process)")
def test_crash_mid_action_leaves_an_incomplete_record_and_a_rerun_completes(lab: Lab, tmp_path: Path) -> None:
    reset(lab, "crashy")
    inv = make_inventory(lab, tmp_path, site("crashy", HOST, [BLOCKING]))
    proc = subprocess.Popen(cli_argv(inv, "action", "maintenance-on", "crashy", "--yes"), cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        wait_for(lambda: exists(lab, "/run/t/crashy.started") or proc.poll() is not None, "the hook to start")
        assert proc.poll() is None, proc.communicate()
        proc.send_signal(signal.SIGKILL)
        proc.wait(SAFETY)
    finally:
        if proc.poll() is None:
            proc.kill()
    first = [r for r in audit(inv) if r["kind"] == "action-start"]
    assert len(first) == 1 and not [r for r in audit(inv) if r["kind"] == "action-end"]

    # the lock stays (stale: its owner is gone); the next run refuses until told to break it
    wait_for(lambda: "STALE lock left by" in cli(inv, "action", "maintenance-on", "crashy", "--dry-run").stdout,
             "the lock to be seen as stale")
    p = cli(inv, "action", "maintenance-on", "crashy", "--yes")
    assert p.returncode == 3, p.stdout + p.stderr
    assert "STALE lock left by" in p.stdout and "--break-stale-lock" in p.stderr + p.stdout
    assert "WARNING: maintenance-on on crashy started at" in p.stderr  # the crashed run, reported

    host_sh(lab, HOST, "touch /run/t/crashy.go")  # the hook (still waiting on the host) may go on now
    p = cli(inv, "action", "maintenance-on", "crashy", "--yes", "--break-stale-lock")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "WARNING: maintenance-on on crashy started at" not in p.stderr  # reported once, by the first re-run

    recs = audit(inv)
    incomplete = [r for r in recs if r["kind"] == "action-incomplete"]
    assert [r["run_id"] for r in incomplete] == [first[0]["run_id"]]
    assert [r["kind"] for r in recs if r["kind"] == "lock-broken"] == ["lock-broken"]
    ends = [r for r in recs if r["kind"] == "action-end"]
    assert [(r["action"], r["result"]) for r in ends][-1] == ("maintenance-on", "done")
    runs = {r["run_id"] for r in recs if r["kind"] == "action-start"}
    assert len(runs) >= 2  # the audit shows both runs


@pytest.mark.drill("two cockpits acting on the same site (CLI processes)")
def test_two_clis_race_on_one_site_exactly_one_runs_and_the_other_names_it(lab: Lab, tmp_path: Path) -> None:
    reset(lab, "race")
    inv = make_inventory(lab, tmp_path, site("race", HOST, [BLOCKING]))
    procs = [subprocess.Popen(cli_argv(inv, "action", "maintenance-on", "race", "--yes"), cwd=REPO, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
             for _ in range(2)]
    try:
        wait_for(lambda: exists(lab, "/run/t/race.started"), "one hook to start")
        # the loser finishes on its own (refused) while the winner waits in its hook
        wait_for(lambda: any(p.poll() is not None for p in procs), "the loser to give up")
        host_sh(lab, HOST, "touch /run/t/race.go")
        outs = [p.communicate(timeout=SAFETY) for p in procs]
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    codes = sorted(p.returncode for p in procs)
    assert codes == [0, 3], outs
    winner = next(p for p in procs if p.returncode == 0)
    loser_out = next(o for p, o in zip(procs, outs, strict=True) if p.returncode == 3)
    assert f"(pid {winner.pid})" in loser_out[0] + loser_out[1]
    assert "locked by" in loser_out[0] + loser_out[1]
    assert host_sh(lab, HOST, "cat /run/t/race.ran").stdout.decode().count("done") == 1
