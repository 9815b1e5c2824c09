"""A rebuilt demo is a new incident: the previous run's state is set aside, not mixed in, not lost."""

from __future__ import annotations

from pathlib import Path

from cockpit import paths
from cockpit.demo.scenario import set_aside_previous_run
from cockpit.inventory import load_inventory


def test_the_previous_runs_state_is_moved_aside_intact(tmp_path: Path) -> None:
    inv_path = tmp_path / "inventory.toml"
    inv_path.write_text('[[hosts]]\nname = "web1"\naddress = "198.18.0.101"\n')
    inv = load_inventory(inv_path)
    said: list[str] = []
    assert set_aside_previous_run(inv, said.append) is None  # nothing yet: nothing moved
    old = paths.state_dir(inv)
    (old / "audit.jsonl").write_text('{"kind": "action-end"}\n')
    aside = set_aside_previous_run(inv, said.append)
    assert aside is not None and aside != old
    assert (aside / "audit.jsonl").read_text() == '{"kind": "action-end"}\n'
    assert not any(paths.state_dir(inv).iterdir()), "this run starts with an empty state dir"
    assert str(aside) in said[-1]
