"""``cockpit timeline``: observed events and audited actions, as text, Markdown and JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cockpit import clock
from cockpit.audit.log import AuditLog
from cockpit.cli.main import main
from cockpit.inventory import Inventory, load_inventory
from cockpit.paths import audit_path
from cockpit.severity import Severity
from cockpit.timeline import Observation, Timeline, timeline_path

T0 = datetime(2026, 11, 25, 19, 0, 0, tzinfo=UTC)
HOSTILE = "|evil| [x](http://e) <b>`code`</b> \x1b[31m"


@pytest.fixture
def inventory(tmp_path: Path) -> Inventory:
    path = tmp_path / "fleet.toml"
    path.write_text(f'state_dir = "{tmp_path / "state"}"\n[[hosts]]\nname = "web1"\naddress = "127.0.0.1"\n')
    return load_inventory(path)


@pytest.fixture
def incident(inventory: Inventory) -> Iterator[Inventory]:
    """web1 lost /srv at 19:00, an engineer failed over shop1 at 19:05, web1's /srv came back at 19:30."""
    clock.freeze(T0 + timedelta(hours=1))
    tl = Timeline(timeline_path(inventory), by="root@wall (pid 1)")
    tl.observe(Observation(fact="host/web1/mount//srv", value="read-only", normal="ok", kind="mount.read-only",
                           subject="web1", summary=f"web1: /srv is read-only {HOSTILE}",
                           severity=Severity.CRITICAL, at=T0,
                           evidence={"probe": "/proc/mounts on 198.18.0.101", "mount": "/dev/md1 /srv ext4 ro"}))
    audit = AuditLog(audit_path(inventory))
    clock.freeze(T0 + timedelta(minutes=5))
    audit.record("action-start", run_id="r1", parent=None, action="failover-site", target="shop1",
                 dry_run=False, plan={"steps": [{"title": "update DNS"}, {"title": "verify"}]})
    audit.record("action-step", run_id="r1", action="failover-site", target="shop1", step=0, title="update DNS",
                 state="running", output="")
    audit.record("action-step", run_id="r1", action="failover-site", target="shop1", step=0, title="update DNS",
                 state="done", output="NOERROR")
    audit.record("unrelated-kind", note="not an action")
    audit.record("import-failed", target="shop1:standby1", site="shop1")  # an observation: the timeline has it
    clock.freeze(T0 + timedelta(minutes=6))
    audit.record("import-start", target="shop1:standby1", site="shop1", host="standby1", run="ab12",
                 source="backup1:/backup/shop1/")
    audit.record("action-end", run_id="r1", action="failover-site", target="shop1", result="done", message=None)
    tl.observe(Observation(fact="host/web1/mount//srv", value="ok", normal="ok", kind="mount.ok", subject="web1",
                           summary="web1: /srv mounted rw", at=T0 + timedelta(minutes=30)))
    clock.freeze(T0 + timedelta(hours=1))
    yield inventory
    clock.freeze(None)


def cli(capsys: pytest.CaptureFixture[str], inventory: Inventory, *args: str) -> tuple[int, str, str]:
    code = main(["timeline", "--inventory", str(inventory.path), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_json_merges_observations_and_actions_in_time_order(capsys, incident: Inventory) -> None:
    code, out, _ = cli(capsys, incident, "--json")
    doc = json.loads(out)
    assert code == 0 and doc["inventory"] == str(incident.path)
    assert [(e["at"], e["kind"], e["subject"]) for e in doc["events"]] == [
        ("2026-11-25T19:00:00Z", "mount.read-only", "web1"),
        ("2026-11-25T19:05:00Z", "action-start", "shop1"),
        ("2026-11-25T19:05:00Z", "action-step", "shop1"),  # the "running" record is left out
        ("2026-11-25T19:06:00Z", "import-start", "shop1:standby1"),
        ("2026-11-25T19:06:00Z", "action-end", "shop1"),
        ("2026-11-25T19:30:00Z", "mount.ok", "web1"),
    ]
    first, start = doc["events"][0], doc["events"][1]
    assert first["evidence"]["mount"] == "/dev/md1 /srv ext4 ro" and first["source"] == "observed"
    assert "\x1b" not in first["summary"]
    assert start["source"] == "action" and start["evidence"]["plan"] == ["update DNS", "verify"]
    assert "started failover-site on shop1" in start["summary"]
    assert doc["spans"] == [{"fact": "host/web1/mount//srv", "subject": "web1", "what": first["summary"],
                             "severity": "critical", "start": "2026-11-25T19:00:00Z", "end": "2026-11-25T19:30:00Z"}]


def test_since_cuts_earlier_events(capsys, incident: Inventory) -> None:
    _, out, _ = cli(capsys, incident, "--json", "--since", "2026-11-25T19:06")
    assert [e["kind"] for e in json.loads(out)["events"]] == ["import-start", "action-end", "mount.ok"]
    _, out, _ = cli(capsys, incident, "--json", "--since", "45m")  # now is 20:00
    assert [e["kind"] for e in json.loads(out)["events"]] == ["mount.ok"]


def test_markdown_is_a_table_with_host_text_escaped(capsys, incident: Inventory) -> None:
    code, out, _ = cli(capsys, incident, "--markdown")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "## Incident timeline: fleet"
    assert "6 events, times in UTC" in out
    rows = [ln for ln in lines if ln.startswith("| 2026-")]
    assert len(rows) == 6
    first = rows[0]
    assert first.startswith("| 2026-11-25 19:00:00 | ✗ critical | web1: /srv is read-only ")
    assert first.count(" | ") == 3  # the host's pipes do not make extra columns
    assert r"\|evil\| \[x\](http://e) \<b\>\`code\`\</b\>" in first
    assert "/dev/md1 /srv ext4 ro" in first
    assert "| 2026-11-25 19:06:00 | ▶ action | failover-site on shop1 ended: done |" in out
    how_long = out[out.index("### How long each problem lasted"):].splitlines()
    assert how_long[-1].startswith("| web1: /srv is read-only ")
    assert how_long[-1].endswith(" | 2026-11-25 19:00:00 | 19:30:00 | 30 min |")
    assert ("started the /storage import shop1:standby1 | source: backup1:/backup/shop1/; host: standby1; "
            "run: ab12") in out


def test_plain_text_and_an_empty_timeline(capsys, incident: Inventory, inventory: Inventory) -> None:
    _, out, _ = cli(capsys, incident)
    assert out.splitlines()[0].startswith("2026-11-25T19:00:00Z  ✗ critical  web1: /srv is read-only")
    assert "evidence: /proc/mounts on 198.18.0.101; mount: /dev/md1 /srv ext4 ro" in out
    assert "        30 min  from 2026-11-25T19:00:00Z until 19:30:00: web1: /srv is read-only" in out
    _, out, _ = cli(capsys, incident, "--since", "1m")
    assert out.startswith("no events recorded since 2026-11-25T19:59:00Z")


def test_a_bad_since_is_a_clear_usage_error(capsys, inventory: Inventory) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli(capsys, inventory, "--since", "yesterday-ish")
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "--since: cannot read 'yesterday-ish' as a time" in err and "Traceback" not in err


def test_markdown_and_json_are_exclusive(capsys, inventory: Inventory) -> None:
    with pytest.raises(SystemExit) as exit_info:
        cli(capsys, inventory, "--markdown", "--json")
    assert exit_info.value.code == 2
