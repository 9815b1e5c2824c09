"""Helpers for the transfers lab tests: an engine on the lab inventory, and waiting on real imports."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable

from cockpit.audit.log import read_records
from cockpit.engine.engine import Engine
from cockpit.inventory import load_inventory
from cockpit.inventory.model import Inventory
from cockpit.lab import Lab
from cockpit.paths import audit_path
from cockpit.transfers.model import ImportStatus

SAFETY = 180.0  # a safety net only: nothing asserts how fast things happen
DEST = "standby1"  # every lab site's standby: where imports go
SOURCE = "backup1"


def lab_inventory(lab: Lab, **storage: object) -> Inventory:
    inv = load_inventory(lab.inventory_path)
    return dataclasses.replace(inv, storage=dataclasses.replace(inv.storage, **storage))  # type: ignore[arg-type]


def engine(lab: Lab, **storage: object) -> Engine:
    return Engine(lab_inventory(lab, **storage))


async def until(e: Engine, site: str, check: Callable[[ImportStatus], bool], timeout: float = SAFETY,
                what: str = "") -> ImportStatus:
    """Poll the engine until the site's import satisfies ``check`` (fails with the last state seen)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    last: ImportStatus | None = None
    while True:
        await e.transfers.poll()
        last = e.transfers.status_of(site)
        if last is not None and check(last):
            return last
        if loop.time() > deadline:
            raise AssertionError(f"{site}: never {what or 'reached the expected state'}; last: {last}")
        await asyncio.sleep(0.2)


def tree_listing(lab: Lab, host: str, root: str) -> bytes:
    """Every file's checksum and every symlink's target, sorted: equal listings mean equal trees."""
    script = (f"cd '{root}' && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum && "
              "find . -type l -printf '%p -> %l\\n' | LC_ALL=C sort && find . -type d | LC_ALL=C sort")
    p = lab.exec(host, ["sh", "-c", script], timeout=120)
    assert p.returncode == 0, p.stderr
    return p.stdout


def clean(lab: Lab, site: str) -> None:
    """Remove a site's imported copy and its import state from the destination (test isolation)."""
    lab.exec(DEST, ["sh", "-c", f"for p in $(cut -d' ' -f1 /var/lib/cockpit/imports/{site}/pid "
                                f"/var/lib/cockpit/imports/{site}/verify.pid 2>/dev/null); do kill $p; done; "
                                f"rm -rf /storage/{site} /storage/.cockpit-import-tmp/{site} "
                                f"/var/lib/cockpit/imports/{site}"])


def audited(e: Engine, key: str, runs: set[str | None]) -> list[dict[str, object]]:
    """The audit records of these runs of the import ``key`` (start/resume name their run, so do
    the observed failure/stall/verification; a cancel names none), oldest first."""
    return [r for r in read_records(audit_path(e.inventory))
            if r.get("target") == key and (r.get("run") in runs or r["kind"] == "import-cancel")]
