"""One full table check by the cockpit's engine (:meth:`TableChecker.sweep`,
what the pane and ``status --json`` run): from a new engine with no
connection at all, through SSH connects, tunnels, discovery and every CHECK,
to the ``sites`` part of the status JSON. The interpreter's start and the
imports are not counted (``bench/tables_check.py`` times the whole
``cockpit status --json`` separately).

Prints the seconds, the tables checked, the tables in all, and how many are ok.
With ``NAMES``, also writes the tables it checked there (``database.table``,
one a line), for the benchmark to compare with what mariadb-check checked.

    .venv/bin/python bench/tables_cockpit_once.py INVENTORY [NAMES]
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

from cockpit.engine.engine import Engine
from cockpit.inventory import load_inventory
from cockpit.status.sites_json import sites_part


async def check(inventory_path: str) -> tuple[str, list[str]]:
    inventory = load_inventory(inventory_path)
    start = time.perf_counter()
    engine = Engine(inventory, read_only=True)
    try:
        await engine.tables.sweep()
        sites, _ = sites_part(engine)
        took = time.perf_counter() - start
    finally:
        await engine.close()
    checked = sum(s["tables_checked"] for s in sites)
    total = sum(s["tables_total"] for s in sites)
    ok = sum(1 for s in sites for t in s["tables"] if t["status"] == "ok")
    names = [f"{s['database']}.{t['name']}" for s in sites for t in s["tables"] if t["checked_at"] is not None]
    return f"{took:.4f} {checked} {total} {ok}", names


def main() -> int:
    line, names = asyncio.run(check(sys.argv[1]))
    if len(sys.argv) > 2:
        Path(sys.argv[2]).write_text("".join(f"{n}\n" for n in names))
    print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
