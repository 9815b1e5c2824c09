"""The timeline store: diffing facts, durability, two processes, damage."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cockpit.severity import Severity
from cockpit.timeline import Event, Observation, Timeline

T0 = datetime(2026, 11, 25, 19, 0, 0, tzinfo=UTC)


def seen(value: str, at: datetime = T0, fact: str = "host/web1/reach", **kw: object) -> Observation:
    args: dict[str, object] = {"normal": "up", "kind": f"host.{value}", "subject": "web1",
                               "summary": f"web1 {value}", "severity": Severity.CRITICAL,
                               "evidence": {"probe": "SSH to 198.18.0.101"}}
    args.update(kw)
    return Observation(fact=fact, value=value, at=at, **args)  # type: ignore[arg-type]


def lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_only_changes_are_recorded_and_normal_is_the_baseline(tmp_path: Path) -> None:
    tl = Timeline(tmp_path / "timeline.jsonl", by="me")
    assert tl.observe(seen("up")) is None  # nothing happened
    first = tl.observe(seen("unreachable", T0 + timedelta(seconds=5)))
    assert first is not None and first.previous is None and first.value == "unreachable"
    assert tl.observe(seen("unreachable", T0 + timedelta(seconds=10))) is None
    back = tl.observe(seen("up", T0 + timedelta(seconds=15), kind="host.back"))
    assert back is not None and back.previous == "unreachable" and back.kind == "host.back"
    recs = lines(tmp_path / "timeline.jsonl")
    assert [(r["kind"], r["at"], r["by"]) for r in recs] == [
        ("host.unreachable", "2026-11-25T19:00:05Z", "me"), ("host.back", "2026-11-25T19:00:15Z", "me")]
    assert recs[0]["evidence"] == {"probe": "SSH to 198.18.0.101"}


def test_a_restarted_cockpit_does_not_record_again_what_is_known(tmp_path: Path) -> None:
    path = tmp_path / "timeline.jsonl"
    Timeline(path).observe(seen("unreachable"))
    again = Timeline(path)
    assert again.observe(seen("unreachable", T0 + timedelta(minutes=1))) is None
    assert [e.kind for e in again.events()] == ["host.unreachable"]
    assert again.observe(seen("up", T0 + timedelta(minutes=2))) is not None


def test_a_second_process_sees_the_firsts_events_and_does_not_duplicate_them(tmp_path: Path) -> None:
    path = tmp_path / "timeline.jsonl"
    wallboard, engineer = Timeline(path, by="wallboard"), Timeline(path, by="engineer")
    assert engineer.events() == []  # reads the (missing) file before the other writes
    assert wallboard.observe(seen("unreachable")) is not None
    assert engineer.observe(seen("unreachable", T0 + timedelta(seconds=1))) is None
    assert [e.by for e in engineer.events()] == ["wallboard"]


def test_an_observation_older_than_the_last_event_is_stale(tmp_path: Path) -> None:
    tl = Timeline(tmp_path / "t.jsonl")
    tl.observe(seen("unreachable", T0))
    tl.observe(seen("up", T0 + timedelta(seconds=30)))
    # a slower cockpit's sweep, begun before the host came back, still says unreachable
    assert tl.observe(seen("unreachable", T0 + timedelta(seconds=20))) is None
    assert [e.value for e in tl.events()] == ["unreachable", "up"]


def test_events_since_and_in_time_order(tmp_path: Path) -> None:
    tl = Timeline(tmp_path / "t.jsonl")
    tl.observe(seen("unreachable", T0 + timedelta(minutes=5), fact="host/b/reach"))
    tl.observe(seen("unreachable", T0, fact="host/a/reach"))
    assert [e.fact for e in tl.events()] == ["host/a/reach", "host/b/reach"]
    assert [e.fact for e in tl.events(since=T0 + timedelta(minutes=1))] == ["host/b/reach"]


def test_a_torn_last_line_costs_only_itself(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    tl = Timeline(path)
    tl.observe(seen("unreachable"))
    with path.open("ab") as f:  # a writer that crashed mid-record
        f.write(b'{"v": 1, "at": "2026-11-25T19:01:00Z", "kind": "host.b')
    reader = Timeline(path)
    assert [e.kind for e in reader.events()] == ["host.unreachable"]
    assert reader.observe(seen("up", T0 + timedelta(minutes=2))) is not None
    assert [e.value for e in Timeline(path).events()] == ["unreachable", "up"]
    assert Timeline(path).events() and reader.corrupt_lines == 1


def test_garbage_and_foreign_records_are_skipped_and_counted(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    path.write_bytes(b'\xff\xfe garbage\n[1, 2]\n{"at": "not a time", "kind": "x", "subject": "s", "summary": "y"}\n'
                     b'{"at": "2026-11-25T19:00:00Z", "kind": "host.unreachable", "subject": "web1", '
                     b'"summary": "web1 unreachable", "severity": "bogus", "fact": "host/web1/reach", '
                     b'"value": "unreachable"}\n')
    tl = Timeline(path)
    [event] = tl.events()
    assert event.severity is Severity.UNKNOWN and tl.corrupt_lines == 3
    assert tl.observe(seen("unreachable", T0 + timedelta(seconds=1))) is None  # its fact still counts


def test_hostile_text_is_stored_printable(tmp_path: Path) -> None:
    tl = Timeline(tmp_path / "t.jsonl")
    evil = "\x1b[31mred\x1b[0m\x07 [bold]x[/]\nline2"
    event = tl.observe(seen("read-only", fact="host/web1/mount/x", normal="ok", summary=evil,
                            evidence={"line": evil, "nested": {"k": [evil]}}))
    assert event is not None
    for text in (event.summary, event.evidence["line"], event.evidence["nested"]["k"][0]):
        assert "\x1b" not in text and "\x07" not in text and "\n" not in text
        assert "[bold]x[/]" in text  # markup is the renderer's job to escape, not lost


def test_record_is_unconditional(tmp_path: Path) -> None:
    tl = Timeline(tmp_path / "t.jsonl", by="me")
    e = Event(at=T0, kind="note", subject="fleet", summary="incident declared")
    tl.record(e)
    tl.record(e)
    assert [(x.kind, x.by) for x in tl.events()] == [("note", "me"), ("note", "me")]


def test_an_unwritable_place_keeps_events_in_memory_and_says_why(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    tl = Timeline(blocker / "t.jsonl")  # its directory cannot exist
    assert tl.observe(seen("unreachable")) is not None
    assert [e.kind for e in tl.events()] == ["host.unreachable"]
    assert tl.error is not None and "t.jsonl" in tl.error


_WRITER = """
import sys
from datetime import UTC, datetime, timedelta
from cockpit.timeline import Observation, Timeline
path, who = sys.argv[1], sys.argv[2]
tl = Timeline(__import__("pathlib").Path(path), by=who)
t0 = datetime(2026, 11, 25, 19, 0, tzinfo=UTC)
for i in range(150):
    tl.observe(Observation(fact=f"{who}/{i}", value="bad", normal="ok", kind="k", subject=who, summary="x" * 300,
                           at=t0 + timedelta(seconds=i)))
    for n in range(3):  # the same change seen by both processes: recorded once
        tl.observe(Observation(fact=f"shared/{n}", value=str(i // 50), normal="0", kind="k", subject="s",
                               summary="shared", at=t0 + timedelta(seconds=i)))
"""


def test_two_processes_appending_at_once_lose_nothing_and_tear_nothing(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(path), who], env=env) for who in ("a", "b")]
    assert [p.wait() for p in procs] == [0, 0]
    recs = lines(path)  # every line is whole JSON
    own = [r for r in recs if r["subject"] in ("a", "b")]
    assert len(own) == 300 and len({(r["subject"], r["fact"]) for r in own}) == 300
    shared = [(r["fact"], r["value"]) for r in recs if r["subject"] == "s"]
    # each shared fact changes to 1 and to 2 once; two processes, still one event per change
    assert sorted(shared) == sorted((f"shared/{n}", v) for n in range(3) for v in ("1", "2"))


def test_a_long_lived_timeline_keeps_the_latest_in_memory_and_the_files_keep_all(tmp_path: Path) -> None:
    path = tmp_path / "timeline.jsonl"
    tl = Timeline(path, keep=3)
    values = ["unreachable", "up", "unreachable", "up", "unreachable"]
    recorded = [tl.observe(seen(v, T0 + timedelta(seconds=i))) for i, v in enumerate(values)]
    assert all(e is not None for e in recorded)  # each one returned as written, past the bound too
    assert [e.at for e in tl.events()] == [T0 + timedelta(seconds=i) for i in (2, 3, 4)]
    assert tl.forgotten == 2
    # the last value of the fact is still known: the same observation is not recorded again
    assert tl.observe(seen("unreachable", T0 + timedelta(seconds=9))) is None
    assert len(lines(path)) == 5
    assert len(Timeline(path).events()) == 5  # a report reads them all
