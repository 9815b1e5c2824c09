"""The action registry, keys and CLI listing (no lab needed)."""

from __future__ import annotations

import subprocess
import sys

from action_lab import REPO

from cockpit import keymap
from cockpit.actions import registry
from cockpit.actions.targets import TargetKind


def test_every_cli_name_is_registered_with_a_remappable_action_binding() -> None:
    names = list(registry.actions())
    assert names == list(registry.NAMES)
    assert len(names) == 13
    for action in registry.actions().values():
        kd = keymap.default_for(action.binding)  # raises if the binding id is unknown
        assert kd.action, f"{action.name}: its binding must be an action binding (hidden in read-only)"
        assert registry.by_binding(action.binding) is action
    keys = [keymap.default_for(a.binding).key for a in registry.actions().values()]
    all_keys = [k.key for k in keymap.DEFAULT_KEYS]
    for k in keys:
        assert all_keys.count(k) == 1, f"key {k} is bound twice"


def test_destructive_actions_need_the_typed_name_and_recheck_needs_no_confirm() -> None:
    acts = registry.actions()
    for name in ("failover-site", "failover-host", "restore-table"):
        assert acts[name].typed and acts[name].confirm
    assert not acts["recheck"].confirm
    assert acts["restore-table"].kinds == (TargetKind.TABLE,)


def test_cli_lists_every_action() -> None:
    p = subprocess.run([sys.executable, "-m", "cockpit", "action", "--list"], capture_output=True, text=True,
                       cwd=REPO, check=False, timeout=60)
    assert p.returncode == 0, p.stderr
    listed = [line.split()[0] for line in p.stdout.splitlines() if line.strip()]
    assert listed == list(registry.NAMES)
    assert "not available yet" not in p.stdout  # every action is built


def test_unknown_action_is_a_usage_error_without_traceback(tmp_path) -> None:  # type: ignore[no-untyped-def]
    p = subprocess.run([sys.executable, "-m", "cockpit", "action", "no-such", "web1"], capture_output=True,
                       text=True, cwd=REPO, check=False, timeout=60)
    assert p.returncode == 2
    assert "unknown action 'no-such'" in p.stderr and "Traceback" not in p.stderr
