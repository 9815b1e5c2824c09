"""Read-only through the CLI: every registered action is refused with exit code
4, before anything happens (no SSH command, no lock, no audit record)."""

from __future__ import annotations

from pathlib import Path

import pytest
from action_lab import cli, cron_running, ensure_cron, host_out, make_inventory, site

from cockpit.actions import registry
from cockpit.lab import Lab

pytestmark = pytest.mark.lab

TARGETS = {"host": "web1", "site": "ro-site", "table": "ro-site.worker"}


def target_for(name: str) -> str:
    kind = registry.get(name).kinds[0]
    return TARGETS[str(kind)]


@pytest.fixture
def inv(lab: Lab, tmp_path: Path) -> Path:
    ensure_cron(lab, "web1")
    host_out(lab, "web1", "rm -rf /run/cockpit /run/ro-proof")
    return make_inventory(lab, tmp_path, site("ro-site", "web1", ["touch /run/ro-proof"], ["touch /run/ro-proof"]))


# Every action with the option before the subcommand; the option after it is one argparse path, shown on a
# host action and a site action (every action twice was 13 more CLI starts for the same parser line).
RUNS = [*(("global", name) for name in registry.NAMES), ("action", "stop-cron"), ("action", "failover-site")]


def test_every_action_is_refused_read_only_with_exit_4_and_no_side_effect(lab: Lab, inv: Path) -> None:
    for where, name in RUNS:
        flag = ["--read-only", "action"] if where == "global" else ["action", "--read-only"]
        p = cli(inv, *flag, name, target_for(name), "--yes")
        assert p.returncode == 4, (name, p.stdout, p.stderr)
        assert f"refused {name}" in p.stderr and "--read-only" in p.stderr
        assert "Steps:" not in p.stdout  # not even a plan (no SSH at all)
    assert cron_running(lab, "web1")
    assert host_out(lab, "web1", "ls /run/cockpit /run/ro-proof 2>/dev/null") == ""
    assert not (inv.parent / "audit.jsonl").exists()
    assert not (inv.parent / "state" / "state.json").exists()


def test_dry_run_shows_the_plan_and_changes_nothing(lab: Lab, inv: Path) -> None:
    p = cli(inv, "action", "maintenance-on", "ro-site", "--dry-run")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "touch /run/ro-proof" in p.stdout and "dry run: nothing was executed" in p.stdout
    p = cli(inv, "--dry-run", "action", "stop-cron", "web1", "--yes")
    assert p.returncode == 0 and "/etc/init.d/cron stop" in p.stdout
    assert cron_running(lab, "web1")
    assert host_out(lab, "web1", "ls /run/ro-proof /run/cockpit 2>/dev/null") == ""  # not even a lock file


def test_a_table_action_on_a_site_without_backup_says_what_is_missing(lab: Lab, inv: Path) -> None:
    p = cli(inv, "action", "restore-table", "ro-site.worker", "--yes")
    assert p.returncode == 3 and "FAIL site ro-site has a backup" in p.stdout and "add backup = " in p.stdout


def test_without_yes_and_without_a_terminal_nothing_runs(lab: Lab, inv: Path) -> None:
    p = cli(inv, "action", "maintenance-on", "ro-site")
    assert p.returncode == 3 and "use --yes" in p.stderr and "not confirmed" in p.stderr
    assert host_out(lab, "web1", "ls /run/ro-proof 2>/dev/null") == ""


def test_missing_hooks_refuse_with_the_inventory_key(lab: Lab, tmp_path: Path) -> None:
    inv = make_inventory(lab, tmp_path, '\n[[sites]]\nname = "bare"\nhost = "web1"\n')
    p = cli(inv, "action", "maintenance-on", "bare", "--yes")
    assert p.returncode == 3
    assert "FAIL site bare has maintenance_on commands" in p.stdout and "Traceback" not in p.stderr


def test_unknown_target_is_a_usage_error(lab: Lab, inv: Path) -> None:
    p = cli(inv, "action", "stop-cron", "nosuchhost", "--yes")
    assert p.returncode == 2 and "no host named 'nosuchhost'" in p.stderr
