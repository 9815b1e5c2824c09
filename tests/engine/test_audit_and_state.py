"""Audit log and state file: durable, private, secret-free, crash tolerant."""

from __future__ import annotations

import json
import multiprocessing
import stat
from pathlib import Path

from cockpit import secrets
from cockpit.audit import AuditLog, read_records
from cockpit.engine.statefile import StateFile


def test_audit_appends_private_records_with_who_and_when(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "sub" / "audit.jsonl")
    log.record("action-start", action="stop-cron", target="web1")
    log.record("action-end", action="stop-cron", target="web1", result="done")
    recs = list(read_records(log.path))
    assert [r["kind"] for r in recs] == ["action-start", "action-end"]
    assert recs[0]["user"] and recs[0]["machine"] and recs[0]["at"].endswith("Z")
    assert stat.S_IMODE(log.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(log.path.parent.stat().st_mode) == 0o700


def test_audit_never_writes_a_registered_secret(tmp_path: Path) -> None:
    secrets.register("s3cr3t-pa55word")
    log = AuditLog(tmp_path / "audit.jsonl")
    log.record("oops", detail="connect failed with password s3cr3t-pa55word", nested={"x": ["s3cr3t-pa55word"]})
    text = log.path.read_text()
    assert "s3cr3t-pa55word" not in text and secrets.MASK in text


def test_torn_last_line_is_reported_not_fatal(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    log.record("a")
    with log.path.open("ab") as f:
        f.write(b'{"kind": "action-sta')  # a crash mid-write
    recs = list(read_records(log.path))
    assert [r["kind"] for r in recs] == ["a", "corrupt-line"]


def _bump(path: str, n: int) -> None:
    sf = StateFile(Path(path))
    for _ in range(n):
        sf.update(lambda s: s.__setitem__("count", s.get("count", 0) + 1))


def test_state_updates_from_two_processes_are_not_lost(tmp_path: Path) -> None:
    p = tmp_path / "state.json"
    procs = [multiprocessing.Process(target=_bump, args=(str(p), 50)) for _ in range(2)]
    for pr in procs:
        pr.start()
    for pr in procs:
        pr.join()
    assert json.loads(p.read_text())["count"] == 100
    assert stat.S_IMODE(p.stat().st_mode) == 0o600


def test_damaged_state_is_set_aside_not_overwritten(tmp_path: Path) -> None:
    p = tmp_path / "state.json"
    p.write_text("{not json")
    sf = StateFile(p)
    state = sf.load()
    assert "_damaged_state_moved_to" in state
    assert Path(state["_damaged_state_moved_to"]).read_text() == "{not json"
