"""Real lab faults become timeline events with their evidence (needs root)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.engine.engine import Engine
from cockpit.inventory import load_inventory
from cockpit.lab import Lab
from cockpit.timeline import Event, Timeline

pytestmark = [pytest.mark.lab, pytest.mark.usefixtures("healed")]


def engine_on(lab: Lab, path: Path) -> Engine:
    engine = Engine(load_inventory(lab.inventory_path))
    engine.timeline = Timeline(path, by="test")  # this test's own file (the lab's inventory is shared)
    return engine


async def sweep(engine: Engine) -> list[Event]:
    before = len(engine.timeline.events())
    engine.retry_now()
    await engine.sweep_disks()
    return engine.timeline.events()[before:]


def one(events: list[Event], kind: str, subject: str) -> Event:
    found = [e for e in events if e.kind == kind and e.subject == subject]
    assert len(found) == 1, f"{kind} on {subject}: {[(e.kind, e.subject) for e in events]}"
    return found[0]


async def test_faults_and_heals_become_events_with_evidence(lab: Lab, tmp_path: Path) -> None:
    path = tmp_path / "timeline.jsonl"
    engine = engine_on(lab, path)
    try:
        assert await sweep(engine) == []  # a healthy fleet: nothing happened
        lab.fault("web1", "ro-mount", "/srv")
        lab.fault("web2", "hang-ssh")
        lab.fault("standby1", "degrade-raid")
        lab.fault("standby1", "kernel-errors")
        events = await sweep(engine)

        ro = one(events, "mount.read-only", "web1")
        assert ro.fact == "host/web1/mount//srv" and "/srv is read-only" in ro.summary
        assert ro.evidence["mount"].split()[1:] == ["/srv", "ext4", "ro"]
        assert ro.evidence["probe"].startswith(f"/proc/mounts on {lab.address('web1')}")

        down = one(events, "host.unreachable", "web2")
        assert down.severity == "critical" and down.evidence["error"]
        assert down.evidence["probe"].startswith(f"SSH to {lab.address('web2')}")

        raid = one(events, "raid.degraded", "standby1")
        assert raid.evidence["array"].startswith("md0 raid1 degraded, 1/2 members up")

        [kernel] = [e for e in events if e.kind.startswith("kernel.") and e.subject == "standby1"]
        assert kernel.kind in ("kernel.io-errors", "kernel.read-only-remount")
        assert kernel.evidence["count"] > 0 and kernel.evidence["line"] and kernel.severity != "ok"
        assert len(events) == 4  # nothing else changed

        assert await sweep(engine) == []  # still broken: no new events
        restarted = engine_on(lab, path)  # a second cockpit on the same state
        try:
            assert await sweep(restarted) == []
        finally:
            await restarted.close()

        lab.heal()
        healed = await sweep(engine)
        assert {(e.kind, e.subject) for e in healed} == {
            ("mount.ok", "web1"), ("host.back", "web2"), ("raid.clean", "standby1"), ("kernel.clean", "standby1")}
        assert one(healed, "host.back", "web2").previous == "unreachable"
    finally:
        await engine.close()
    # the file holds the whole story, in order, for the next reader
    assert [e.kind for e in Timeline(path).events()].count("host.unreachable") == 1


@pytest.fixture
def private_inventory(lab: Lab, tmp_path: Path) -> Iterator[Path]:
    """The lab's inventory with this test's own state directory (next to it: relative paths still work;
    removed after the test, or the lab's teardown finds a file it did not make and leaves its dir behind)."""
    path = lab.dir / f"inventory-{tmp_path.name}.toml"
    path.write_text(f'state_dir = "{tmp_path / "state"}"\n' + lab.inventory_path.read_text())
    yield path
    path.unlink(missing_ok=True)


def cockpit(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cockpit", *args], capture_output=True, text=True, check=False,
                          cwd=Path(__file__).resolve().parents[2], timeout=300)


def test_status_records_and_timeline_prints_it_for_a_post_mortem(lab: Lab, private_inventory: Path) -> None:
    inventory = private_inventory
    lab.fault("web1", "ro-mount", "/srv")
    assert cockpit("status", "--inventory", str(inventory)).returncode == 2  # critical
    done = cockpit("timeline", "--inventory", str(inventory), "--json")
    assert done.returncode == 0, done.stderr
    event, *mysql = json.loads(done.stdout)["events"]
    assert (event["kind"], event["subject"], event["severity"]) == ("mount.read-only", "web1", "critical")
    assert event["evidence"]["mount"].endswith(" /srv ext4 ro")
    # MariaDB keeps its datadir on /srv: restarted on a read-only one (as after the reboot), it does not come up
    assert sorted((e["kind"], e["subject"]) for e in mysql) == [("site.mysql-unreachable", "acme"),
                                                                ("site.mysql-unreachable", "globex")]
    lab.heal()
    assert cockpit("status", "--inventory", str(inventory)).returncode == 0
    md = cockpit("timeline", "--inventory", str(inventory), "--markdown").stdout
    rows = [ln for ln in md.splitlines() if ln.startswith("| 20")]
    said = [r.split(" | ")[2] for r in rows]
    assert said[0] == "web1: /srv is read-only" and said[3] == "web1: /srv mounted rw"
    assert sorted(said[1:3]) == [f"{s}: unreachable: {mysql[0]['evidence']['error']}"
                                 for s in ("acme", "globex")]
    assert sorted(said[4:]) == ["acme: MySQL answering again on web1", "globex: MySQL answering again on web1"]


async def test_the_first_corrupt_table_of_a_site_is_one_event_with_check_table_evidence(lab: Lab,
                                                                                       tmp_path: Path) -> None:
    engine = engine_on(lab, tmp_path / "timeline.jsonl")
    try:
        await engine.tables.sweep()
        assert not [e for e in await sweep(engine) if e.kind.startswith("site.")]  # all sound: nothing happened
        await asyncio.to_thread(lab.fault, "web1", "corrupt-table", "acme.ticket_audit", "--part", "index")
        await engine.tables.sweep()
        [event] = [e for e in await sweep(engine) if e.kind.startswith("site.")]
        assert (event.kind, event.subject, event.severity) == ("site.corrupt", "acme", "critical")
        assert event.evidence["table"] == "ticket_audit" and event.summary.startswith("acme: first corrupt table")
        # CHECK TABLE's own words, as the engine read them. The garbage is random, so the detail lines vary
        # ("Can't read key from filepos", "Found key at page ..."); MyISAM's closing verdict row does not.
        check = event.evidence["check"]
        assert check[-1] == "error: Corrupt", check
        assert all(line.split(": ", 1)[0] in {"error", "warning", "info", "note", "status"} for line in check), check
        assert event.evidence["probe"].startswith("CHECK TABLE on web1")
        await asyncio.to_thread(lab.fault, "web1", "corrupt-table", "acme.worker", "--part", "data")
        await engine.tables.sweep()
        assert not [e for e in await sweep(engine) if e.kind.startswith("site.")]  # the second one is no news
    finally:
        await engine.close()
