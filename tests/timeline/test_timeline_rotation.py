"""The timeline file is rotated by size and read back whole: no event lost,
none read twice, rotated segments kept, `cockpit timeline` reads them all."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cockpit.cli.main import main
from cockpit.inventory import load_inventory
from cockpit.timeline import Observation, Timeline, timeline_path
from cockpit.timeline.segments import rotated_segments

T0 = datetime(2026, 11, 25, 19, 0, 0, tzinfo=UTC)
LIMIT = 2000  # bytes: a few events per segment


def flap(tl: Timeline, i: int, fact: str = "host/web1/reach") -> None:
    tl.observe(Observation(fact=fact, value="down" if i % 2 == 0 else "up", normal="up", kind="host.flap",
                           subject="web1", summary=f"web1 flap {i}", at=T0 + timedelta(seconds=i)))


def summaries(tl: Timeline) -> list[str]:
    return [e.summary for e in tl.events()]


def test_rotation_keeps_every_event_in_segments_and_reads_them_all_once(tmp_path: Path) -> None:
    path = tmp_path / "timeline.jsonl"
    writer = Timeline(path, rotate_bytes=LIMIT)
    for i in range(60):
        flap(writer, i)
    segments = rotated_segments(path)
    assert len(segments) >= 5 and [p.name for p in segments][:2] == ["timeline-000001.jsonl",
                                                                       "timeline-000002.jsonl"]
    assert all(p.stat().st_size < LIMIT + 400 for p in [*segments, path])  # none grows past the limit (+1 event)
    on_disk = [json.loads(line)["summary"] for p in [*segments, path] for line in p.read_text().splitlines()]
    expected = [f"web1 flap {i}" for i in range(60)]
    assert on_disk == expected  # nothing dropped, nothing written twice
    assert summaries(writer) == expected  # the writer read across its own rotations
    assert summaries(Timeline(path, rotate_bytes=LIMIT)) == expected  # a restarted cockpit reads every segment
    # the last state survives a restart across segments: the same value again is not a change
    again = Timeline(path, rotate_bytes=LIMIT)
    flap(again, 61)  # "up", as recorded last (59): not a change
    flap(again, 62)  # "down": a change
    assert summaries(again)[-2:] == ["web1 flap 59", "web1 flap 62"]


def test_a_reader_following_the_file_reads_on_across_rotations_by_another_writer(tmp_path: Path) -> None:
    path = tmp_path / "timeline.jsonl"
    writer, wallboard = Timeline(path, rotate_bytes=LIMIT), Timeline(path, rotate_bytes=LIMIT)
    got: list[str] = []
    for i in range(40):
        flap(writer, i)
        got = summaries(wallboard)  # the live view asks after every event
        assert got == [f"web1 flap {k}" for k in range(i + 1)]
    assert len(rotated_segments(path)) >= 3


def test_a_file_replaced_by_hand_is_read_again_from_the_start(tmp_path: Path) -> None:
    path = tmp_path / "timeline.jsonl"
    writer, reader = Timeline(path, rotate_bytes=LIMIT), Timeline(path, rotate_bytes=LIMIT)
    for i in range(3):
        flap(writer, i)
    assert len(summaries(reader)) == 3
    path.unlink()  # an operator moved the current file away (not a rotation)
    flap(Timeline(path, rotate_bytes=LIMIT), 10)
    assert summaries(reader) == ["web1 flap 10"]


_WRITER = """
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from cockpit.timeline import Observation, Timeline
path, who = sys.argv[1], sys.argv[2]
tl = Timeline(Path(path), by=who, rotate_bytes=3000)
t0 = datetime(2026, 11, 25, 19, 0, tzinfo=UTC)
for i in range(80):
    tl.observe(Observation(fact=f"{who}/{i}", value="bad", normal="ok", kind="k", subject=who, summary="x" * 200,
                           at=t0 + timedelta(seconds=i)))
"""


def test_two_processes_rotating_at_once_lose_nothing(tmp_path: Path) -> None:
    path = tmp_path / "t.jsonl"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    procs = [subprocess.Popen([sys.executable, "-c", _WRITER, str(path), who], env=env) for who in ("a", "b")]
    assert [p.wait(timeout=120) for p in procs] == [0, 0]
    files = [p for p in (*rotated_segments(path), path) if p.exists()]  # the last append may have rotated
    assert len(files) > 5
    recs = [json.loads(line) for p in files for line in p.read_text().splitlines()]  # every line whole JSON
    assert sorted((r["subject"], r["fact"]) for r in recs) == sorted(
        (w, f"{w}/{i}") for w in ("a", "b") for i in range(80))
    assert len(Timeline(path).events()) == 160


def test_cockpit_timeline_reads_the_rotated_segments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inv_path = tmp_path / "fleet.toml"
    inv_path.write_text(f'state_dir = "{tmp_path / "state"}"\n[[hosts]]\nname = "web1"\naddress = "127.0.0.1"\n')
    path = timeline_path(load_inventory(inv_path))
    tl = Timeline(path, rotate_bytes=LIMIT)
    for i in range(30):
        flap(tl, i)
    assert rotated_segments(path)
    assert main(["timeline", "--inventory", str(inv_path), "--json"]) == 0
    events = json.loads(capsys.readouterr().out)["events"]
    assert [e["summary"] for e in events] == [f"web1 flap {i}" for i in range(30)]
