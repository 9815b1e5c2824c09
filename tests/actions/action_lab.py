"""Helpers for action tests against the lab: an inventory with private audit
and state files, the CLI as a real subprocess, and looking inside hosts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cockpit.audit import read_records
from cockpit.lab import Lab

SAFETY = 120.0  # a safety net only: nothing asserts how fast things happen
REPO = Path(__file__).resolve().parents[2]


def make_inventory(lab: Lab, tmp_path: Path, extra: str = "") -> Path:
    """The lab's inventory with this test's own audit log and state dir, plus ``extra`` TOML."""
    top = f'audit_file = "{tmp_path / "audit.jsonl"}"\nstate_dir = "{tmp_path / "state"}"\n\n'
    path = tmp_path / "inventory.toml"
    path.write_text(top + lab.inventory_path.read_text() + "\n" + extra)
    return path


def site(name: str, host: str, on: list[str], off: list[str] | None = None) -> str:
    def arr(cmds: list[str]) -> str:
        import json

        return "[" + ", ".join(json.dumps(c) for c in cmds) + "]"

    text = f'\n[[sites]]\nname = "{name}"\nhost = "{host}"\nmaintenance_on = {arr(on)}\n'
    if off is not None:
        text += f"maintenance_off = {arr(off)}\n"
    return text


def cli_argv(inventory: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "cockpit", *args, "--inventory", str(inventory)]


def cli(inventory: Path, *args: str, timeout: float = SAFETY) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cli_argv(inventory, *args), capture_output=True, text=True, timeout=timeout,
                          cwd=REPO, env={**os.environ}, stdin=subprocess.DEVNULL, check=False)


def host_sh(lab: Lab, host: str, script: str) -> subprocess.CompletedProcess[bytes]:
    return lab.exec(host, ["sh", "-c", script])


def host_out(lab: Lab, host: str, script: str) -> str:
    return host_sh(lab, host, script).stdout.decode()


def cron_running(lab: Lab, host: str) -> bool:
    return host_sh(lab, host, "/etc/init.d/cron status").returncode == 0


def audit(inventory: Path) -> list[dict[str, object]]:
    return list(read_records(inventory.parent / "audit.jsonl"))


def locks_on(lab: Lab, host: str) -> list[str]:
    return host_out(lab, host, "ls /run/cockpit/locks 2>/dev/null").split()


def ensure_cron(lab: Lab, host: str) -> None:
    """Start cron again the Debian way if a test left it stopped, and forget stop records."""
    host_sh(lab, host, "/etc/init.d/cron status >/dev/null || /etc/init.d/cron start; "
                       "rm -f /run/cockpit/cron-stopped.json")
