"""import-start / import-cancel / import-resume through the action engine,
against the lab's real rsync from the backup host to the standby."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from action_lab import audit, cli, host_sh, make_inventory

from cockpit.lab import Lab

pytestmark = pytest.mark.lab
SITE = "initech"
STATE = "/var/lib/cockpit/imports-actions-test"


@pytest.fixture
def inv(lab: Lab, tmp_path: Path) -> Iterator[Path]:
    path = make_inventory(lab, tmp_path)
    text = path.read_text()
    if "[storage]\n" not in text:
        pytest.skip("the session lab has no /storage import source")
    path.write_text(text.replace("[storage]\n", f'[storage]\nbwlimit_kbps = 64\nstate_dir = "{STATE}"\n', 1))
    yield path
    cli(path, "action", "import-cancel", SITE, "--yes")
    host_sh(lab, "standby1", f"rm -rf {STATE} /storage/{SITE}")


def test_start_cancel_resume_an_import(lab: Lab, inv: Path) -> None:
    p = cli(inv, "action", "import-start", SITE, "--yes")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "rsync " in p.stdout and "--bwlimit=64" in p.stdout  # the exact rsync in the plan
    assert "import started on standby1" in p.stdout

    # idempotent: nothing doubled. On a loaded machine rsync may still be building its file list,
    # so the import is "already scanning" rather than "already running": both mean in progress.
    p = cli(inv, "action", "import-start", SITE, "--yes")
    assert p.returncode == 0, p.stdout + p.stderr
    assert re.search(r"already (scanning|running|stalled)", p.stdout), p.stdout
    assert "import started on" not in p.stdout

    p = cli(inv, "action", "import-cancel", SITE, "--yes")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "sent SIGTERM" in p.stdout and "verify OK   the import is no longer running" in p.stdout

    p = cli(inv, "action", "import-cancel", SITE, "--yes")  # nothing runs now: refused at its precondition
    assert p.returncode == 3 and "FAIL an import is running" in p.stdout

    inv.write_text(inv.read_text().replace("bwlimit_kbps = 64\n", "", 1))
    p = cli(inv, "action", "import-resume", SITE, "--yes")
    assert p.returncode == 0, p.stdout + p.stderr
    ends = [(r["action"], r["result"]) for r in audit(inv) if r["kind"] == "action-end"]
    assert ends == [("import-start", "done"), ("import-start", "done"), ("import-cancel", "done"),
                    ("import-resume", "done")]
