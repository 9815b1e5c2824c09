"""maintenance-on / maintenance-off: the site's inventory hooks run on its host
over SSH, each as one quoted argument to sh -c, with the cockpit's values set."""

from __future__ import annotations

from pathlib import Path

import pytest
from action_lab import audit, cli, host_out, make_inventory, site

from cockpit.lab import Lab

pytestmark = pytest.mark.lab
# Quotes, $(...) and ; inside the hook stay the hook's own: the cockpit adds no shell of its own.
ON = "printf '%s|%s|%s\\n' \"$COCKPIT_SITE\" \"$COCKPIT_ACTION\" 'it'\"'\"'s $(id); echo x' > /run/maint-proof"
OFF = "rm -f /run/maint-proof && echo removed"


def test_hooks_run_with_their_own_quoting_and_the_sites_values(lab: Lab, tmp_path: Path) -> None:
    host_out(lab, "web2", "rm -f /run/maint-proof")
    inv = make_inventory(lab, tmp_path, site("maint-site", "web2", [ON], [OFF]))
    p = cli(inv, "action", "maintenance-on", "maint-site", "--yes")
    assert p.returncode == 0, p.stdout + p.stderr
    assert host_out(lab, "web2", "cat /run/maint-proof") == "maint-site|maintenance-on|it's $(id); echo x\n"
    p = cli(inv, "action", "maintenance-off", "maint-site", "--yes")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "removed" in p.stdout
    assert host_out(lab, "web2", "ls /run/maint-proof 2>/dev/null") == ""
    ends = [(r["action"], r["result"]) for r in audit(inv) if r["kind"] == "action-end"]
    assert ends == [("maintenance-on", "done"), ("maintenance-off", "done")]


def test_a_failing_hook_fails_the_action_and_skips_the_rest(lab: Lab, tmp_path: Path) -> None:
    host_out(lab, "web2", "rm -f /run/maint-second")
    hooks = ["echo broken >&2; exit 7", "touch /run/maint-second"]
    inv = make_inventory(lab, tmp_path, site("maint-bad", "web2", hooks))
    p = cli(inv, "action", "maintenance-on", "maint-bad", "--yes")
    assert p.returncode == 1
    assert "exit status 7" in p.stdout and "broken" in p.stdout and "step 2 skipped" in p.stdout
    assert host_out(lab, "web2", "ls /run/maint-second 2>/dev/null") == ""
