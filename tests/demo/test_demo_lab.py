"""`cockpit demo` (the README's first command) builds the outage it promises."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from lab_fixture import lab_unavailable, new_lab_dir

from cockpit.demo import fleet
from cockpit.inventory import load_inventory
from cockpit.lab import Lab

pytestmark = pytest.mark.lab


def cockpit(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cockpit", *args], capture_output=True, text=True,
                          timeout=300, check=False)


def test_demo_lab_after_the_outage_web1_is_broken_web2_is_not_and_status_says_critical() -> None:
    reason = lab_unavailable()
    if reason:
        pytest.skip(reason)
    lab_dir = new_lab_dir("demo-")
    try:
        built = cockpit("demo", "--no-ui", "--sites", "3", "--dir", str(lab_dir))
        assert built.returncode == 0, built.stderr
        inventory = Path(built.stdout.strip())
        assert inventory == lab_dir / "inventory.toml"
        # tables corrupted mid-demo reach the Tables pane within seconds (not the 5-minute default)
        assert load_inventory(inventory).mysql.recheck_interval == fleet.RECHECK_S
        status = cockpit("status", "--json", "--inventory", str(inventory))
        assert status.returncode == 2, status.stderr
        hosts = {h["name"]: h for h in json.loads(status.stdout)["hosts"]}
        assert hosts["web1"]["state"] == "up", hosts["web1"]  # the "remote reboot" brought sshd back
        ro = {m["mountpoint"] for m in hosts["web1"]["mounts"] if m["read_only"] and m["severity"] == "critical"}
        assert ro == {"/"}
        assert hosts["web1"]["raid"][0]["state"] == "degraded"
        assert hosts["web1"]["kernel_errors"]["count"] > 0
        assert hosts["web2"]["severity"] == "ok" and hosts["standby1"]["severity"] == "ok"
        assert "web3" not in hosts
    finally:
        Lab(lab_dir).down(echo=lambda m: None)
    assert not lab_dir.exists() or not any(lab_dir.iterdir())
