"""The README is the user's first contact: its examples must be true."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from cockpit.inventory import load_inventory

README = Path(__file__).resolve().parents[2] / "README.md"


def _blocks(lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", README.read_text(), re.S)


def test_readme_has_exactly_two_setup_commands() -> None:
    setup = README.read_text().split("## Set-up", 1)[1].split("\n## ", 1)[0]
    commands = [ln for block in re.findall(r"```sh\n(.*?)```", setup, re.S) for ln in block.splitlines() if ln.strip()]
    assert [c.split("#")[0].strip() for c in commands] == ["./setup.sh demo", "./setup.sh test"]


def test_readme_inventory_example_loads(tmp_path: Path) -> None:
    (example,) = _blocks("toml")
    path = tmp_path / "fleet.toml"
    path.write_text(example)
    inv = load_inventory(path)
    assert [h.name for h in inv.hosts] == ["web1", "standby1"]
    standby = inv.hosts[1]
    assert standby.ssh_user == "admin" and standby.role == "standby"
    assert dict(standby.mount_thresholds)["/storage"].critical == 97
    assert dict(inv.keys)["refresh"] == "f5"


def readme_status_example() -> dict[str, Any]:
    """The README's `status --json` example (the lab test checks real output has all its keys)."""
    (doc,) = [json.loads(b) for b in _blocks("json")]
    assert isinstance(doc, dict)
    return doc


def test_readme_screenshots_exist_and_are_regenerated_by_the_script() -> None:
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README.read_text())
    assert images, "the README shows screenshots of the demo"
    script = (README.parent / "bench" / "screenshots.py").read_text()
    for image in images:
        assert (README.parent / image).is_file(), image
        assert image.startswith("docs/screenshots/") and f'"{Path(image).name}"' in script, image
