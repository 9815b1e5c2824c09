"""Audit records as timeline events: what the engineer reads about actions and locks."""

from __future__ import annotations

from cockpit.severity import Severity
from cockpit.timeline.audit_entries import event_from_audit

BASE = {"at": "2026-11-26T07:40:56Z", "user": "root", "machine": "vm", "pid": 22074, "run_id": "r7",
        "action": "move-database", "target": "site1-19"}


def test_an_ending_says_its_result_once() -> None:
    done = event_from_audit({**BASE, "kind": "action-end", "result": "done", "message": "done, verified: 12 checks OK"})
    assert done is not None and done.summary == "move-database on site1-19 ended: done, verified: 12 checks OK"
    failed = event_from_audit({**BASE, "kind": "action-end", "result": "failed", "message": "step failed: copy"})
    assert failed is not None and failed.summary == "move-database on site1-19 ended: failed: step failed: copy"
    assert failed.severity is Severity.CRITICAL


def test_a_lock_left_behind_is_a_warning_that_names_lock_and_host() -> None:
    ev = event_from_audit({**BASE, "kind": "lock-left", "host": "standby1", "lock": "site.site1-19"})
    assert ev is not None and ev.severity is Severity.WARNING
    assert ev.summary.startswith("move-database on site1-19 ended, but its lock could not be removed")
    assert ev.evidence["lock"] == "site.site1-19 on standby1" and ev.evidence["run"] == "r7"
