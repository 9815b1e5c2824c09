"""`cockpit status` against the lab: the contract other tools (Nagios, scripts) rely on."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cockpit.lab import Lab

pytestmark = [pytest.mark.lab, pytest.mark.usefixtures("healed")]

README = Path(__file__).resolve().parents[2] / "README.md"


def cockpit(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cockpit", *args], capture_output=True, text=True,
                          timeout=120, check=False)


def fast_inventory(lab: Lab, tmp_path: Path) -> Path:
    """The lab's inventory with a short connect timeout, so a hung host costs seconds."""
    text = lab.inventory_path.read_text()
    path = tmp_path / "inventory.toml"
    path.write_text(re.sub(r"(?m)^connect_timeout = .*$", "connect_timeout = 2", text)
                    if "connect_timeout" in text else text.replace("[defaults]", "[defaults]\nconnect_timeout = 2", 1))
    return path


def keys_of(doc: dict[str, Any]) -> set[str]:
    host = doc["hosts"][0]
    return ({f"top.{k}" for k in doc} | {f"host.{k}" for k in host}
            | {f"mount.{k}" for m in host["mounts"] for k in m} | {f"raid.{k}" for r in host["raid"] for k in r}
            | {f"kernel.{k}" for k in host["kernel_errors"]})


def test_json_reports_a_hung_host_and_a_read_only_mount_with_exit_2(lab: Lab, tmp_path: Path) -> None:
    lab.fault("web1", "ro-mount", "/srv")
    lab.fault("web1", "degrade-raid")
    lab.fault("web2", "hang-ssh")
    p = cockpit("status", "--inventory", str(fast_inventory(lab, tmp_path)), "--json")
    assert p.returncode == 2, p.stderr
    doc = json.loads(p.stdout)
    hosts = {h["name"]: h for h in doc["hosts"]}
    assert doc["severity"] == "critical"
    assert hosts["web2"]["state"] == "unreachable" and hosts["web2"]["severity"] == "critical"
    assert hosts["web2"]["error"]
    srv = next(m for m in hosts["web1"]["mounts"] if m["mountpoint"] == "/srv")
    assert srv["read_only"] is True and srv["expected_read_only"] is False and srv["severity"] == "critical"
    assert hosts["web1"]["raid"][0]["members_up"] == 1 and hosts["web1"]["raid"][0]["state"] == "degraded"
    assert hosts["standby1"]["severity"] == "ok"
    readme_doc = json.loads(re.findall(r"```json\n(.*?)```", README.read_text(), re.S)[0])
    assert keys_of(readme_doc) <= keys_of({**doc, "hosts": [hosts["web1"]]}), "README promises keys we do not print"


def test_human_table_and_exit_codes_follow_the_worst_host(lab: Lab, tmp_path: Path) -> None:
    inv = str(fast_inventory(lab, tmp_path))
    healthy = cockpit("status", "--inventory", inv)
    assert healthy.returncode == 0, healthy.stdout + healthy.stderr
    assert re.search(r"(?m)^web1\s+up\s+OK", healthy.stdout)
    lab.fault("web1", "fill", "/srv", "85")
    warning = cockpit("status", "--inventory", inv)
    assert warning.returncode == 1, warning.stdout
    assert re.search(r"(?m)^web1\s+up\s+WARNING", warning.stdout)


def test_a_broken_inventory_names_file_and_key_without_a_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "fleet.toml"
    bad.write_text('[[hosts]]\nname = "web1"\naddress = "198.18.0.101"\nssh_port = "twenty-two"\n')
    p = cockpit("status", "--inventory", str(bad), "--json")
    assert p.returncode == 2
    assert str(bad) in p.stderr and "ssh_port" in p.stderr
    assert "Traceback" not in p.stderr and p.stdout == ""
