"""stop-cron / resume-cron end to end against real cron daemons in the lab.

Cron really stops: its job (which appends a line to a marker file every
minute) stops writing, across a minute boundary where it would have run; after
resume the daemon runs again with the job's crontab in place. One minute
boundary is waited for (cron's own clock), never asserted as a duration: a
second boundary to watch the job write again cost a minute of suite time and
proved the lab's cron, not the action.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from action_lab import audit, cli, cron_running, ensure_cron, host_out, locks_on, make_inventory

from cockpit.lab import Lab
from cockpit.lab.services.cron import MARKER

pytestmark = pytest.mark.lab
HOST = "web2"


def marker_lines(lab: Lab) -> list[str]:
    return host_out(lab, HOST, f"cat {MARKER} 2>/dev/null").split()


def first_marker_line(lab: Lab, limit: float = 200.0) -> list[str]:
    """The job has written at least once (free unless the lab is under a minute old); safety net ``limit``."""
    deadline = time.monotonic() + limit
    while not (lines := marker_lines(lab)) and time.monotonic() < deadline:
        time.sleep(1)
    return lines


def sleep_past_next_minute(margin: float = 10.0) -> None:
    """Past the next minute boundary (when cron would run its job), plus a margin for a busy machine."""
    time.sleep(60 - time.time() % 60 + margin)


@pytest.fixture
def inv(lab: Lab, tmp_path: Path) -> Iterator[Path]:
    ensure_cron(lab, HOST)
    yield make_inventory(lab, tmp_path)
    ensure_cron(lab, HOST)


def test_stop_cron_stops_the_job_and_resume_restores_it(lab: Lab, inv: Path) -> None:
    # One minute boundary is the price of proving that no job runs (cron's clock has minutes).
    assert cron_running(lab, HOST)
    job = host_out(lab, HOST, "cat /etc/cron.d/*")
    assert MARKER in job  # the job whose silence is the proof is really installed
    assert first_marker_line(lab), "cron never ran the lab's job: its silence below would prove nothing"

    p = cli(inv, "action", "stop-cron", HOST, "--yes")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "/etc/init.d/cron stop" in p.stdout  # the exact command was in the plan
    assert not cron_running(lab, HOST)
    assert locks_on(lab, HOST) == ["host.web2.live"]  # the lock is released (only its flock file stays)
    stopped = marker_lines(lab)

    # idempotent: a second stop keeps the first record (cron WAS running) and stops nothing more
    p = cli(inv, "action", "stop-cron", HOST, "--yes")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "Keep the stop record" in p.stdout and "nothing to stop" in p.stdout
    assert "/etc/init.d/cron stop" not in p.stdout

    sleep_past_next_minute()  # the CLI runs above happen inside the minute waited for
    assert marker_lines(lab) == stopped, "cron's job ran although cron was stopped"

    p = cli(inv, "action", "resume-cron", HOST, "--yes")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "/etc/init.d/cron start" in p.stdout
    assert cron_running(lab, HOST)
    assert host_out(lab, HOST, "cat /etc/cron.d/*") == job  # the same jobs are scheduled again

    # a second resume does nothing (no record left)
    p = cli(inv, "action", "resume-cron", HOST, "--yes")
    assert p.returncode == 0 and "nothing to resume" in p.stdout

    recs = audit(inv)
    ends = [(r["action"], r["result"]) for r in recs if r["kind"] == "action-end"]
    assert ends == [("stop-cron", "done"), ("stop-cron", "done"), ("resume-cron", "done"), ("resume-cron", "done")]
    starts = [r for r in recs if r["kind"] == "action-start"]
    assert all(r["user"] and r["machine"] and r["plan"]["steps"] is not None for r in starts)
    verify = [r for r in recs if r["kind"] == "action-verify"]
    assert verify[0]["checks"][0]["what"] == "cron does not run" and verify[0]["ok"] is True
    steps = [r for r in recs if r["kind"] == "action-step" and r["run_id"] == starts[0]["run_id"]]
    assert [s["state"] for s in steps] == ["running", "done", "running", "done"]


def test_resume_restores_only_what_was_running(lab: Lab, inv: Path) -> None:
    """cron stopped by hand before stop-cron: the record says so, and resume does not start it."""
    host_out(lab, HOST, "/etc/init.d/cron stop")
    p = cli(inv, "action", "stop-cron", HOST, "--yes")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "cron not running" in p.stdout
    p = cli(inv, "action", "resume-cron", HOST, "--yes")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "/etc/init.d/cron start" not in p.stdout
    assert not cron_running(lab, HOST)


def test_inventory_cron_commands_replace_the_defaults(lab: Lab, tmp_path: Path, inv: Path) -> None:
    text = inv.read_text().replace(
        'name = "web2"',
        'name = "web2"\ncron_stop = ["/etc/init.d/cron stop && touch /run/custom-stop"]\n'
        'cron_start = ["/etc/init.d/cron start && touch /run/custom-start"]', 1)
    inv.write_text(text)
    p = cli(inv, "action", "stop-cron", HOST, "--yes")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "cron_stop command 1" in p.stdout
    assert host_out(lab, HOST, "ls /run/custom-stop") .strip() == "/run/custom-stop"
    p = cli(inv, "action", "resume-cron", HOST, "--yes")
    assert p.returncode == 0, p.stdout + p.stderr
    assert cron_running(lab, HOST)
    assert host_out(lab, HOST, "ls /run/custom-start; rm -f /run/custom-*").strip() == "/run/custom-start"


def test_unreachable_host_refuses_with_the_reason(lab: Lab, inv: Path) -> None:
    lab.fault(HOST, "kill-ssh")
    try:
        p = cli(inv, "action", "stop-cron", HOST, "--yes")
    finally:
        lab.heal(HOST)
    assert p.returncode == 3
    assert "FAIL web2 answers over SSH" in p.stdout and "Traceback" not in p.stderr
    assert cron_running(lab, HOST)
