"""Capture real CHECK TABLE output from a lab into tests/data/tables/check_output.json.

Run by hand (root) against a lab whose web1 serves the site ``acme`` (e.g. the
test fleet: ``python -m tests.tables.capture_check_output --dir /tmp/lab``).
It corrupts tables for real, runs the statements the cockpit runs through the
cockpit's own MySQL transport, stores every row as the server sent it, and heals.
"""

from __future__ import annotations

import argparse
import asyncio
import json
from pathlib import Path
from typing import Any

from cockpit.inventory import load_inventory
from cockpit.lab import Lab
from cockpit.lab.services.mariadb import run_sql
from cockpit.tables.sql import check_table
from cockpit.transport.mysql import MySqlError, MySqlServers
from cockpit.transport.ssh import SshPool

OUT = Path(__file__).resolve().parents[1] / "data" / "tables" / "check_output.json"


def _cell(v: Any) -> Any:
    return v.decode("utf-8", "surrogateescape") if isinstance(v, bytes) else v


async def _capture(lab: Lab) -> dict[str, Any]:
    inv = load_inventory(lab.inventory_path)
    m = inv.site("acme").mysql
    pool = SshPool(inv.hosts)
    servers = MySqlServers(pool)
    cases: dict[str, Any] = {}

    async def run(case: str, sql: str) -> None:
        try:
            rows = await servers.execute("web1", m, sql, timeout=60)
            cases[case] = {"statement": sql, "rows": [[_cell(c) for c in r] for r in rows]}
        except MySqlError as e:
            cases[case] = {"statement": sql, "error": str(e), "code": e.code}

    def fault(*args: str) -> None:
        lab.fault("web1", "corrupt-table", *args)

    try:
        await run("ok_innodb", check_table("acme", "ticket"))
        await run("ok_myisam", check_table("acme", "ticket_audit"))
        await run("ok_aria", check_table("acme", "worker"))
        await run("ok_odd_name", check_table("acme", "old `import` 2019"))
        await run("missing_table", check_table("acme", "no_such_table"))
        run_sql(lab.handle("web1"), "CREATE TABLE IF NOT EXISTS acme.mem_cache (id INT) ENGINE=MEMORY;")
        await run("unsupported_memory", check_table("acme", "mem_cache"))
        run_sql(lab.handle("web1"), "DROP TABLE acme.mem_cache;")
        fault("acme.ticket_audit", "--part", "index")
        await run("myisam_index_corrupt", check_table("acme", "ticket_audit"))
        await run("myisam_index_marked_crashed", check_table("acme", "ticket_audit"))
        fault("acme.ticket_audit", "--part", "data")
        await run("myisam_data_quick", check_table("acme", "ticket_audit") + " QUICK")
        await run("myisam_data_corrupt", check_table("acme", "ticket_audit"))
        await run("myisam_data_extended", check_table("acme", "ticket_audit", extended=True))
        fault("acme.worker", "--part", "data")
        await run("aria_data_quick", check_table("acme", "worker") + " QUICK")
        await run("aria_data_corrupt", check_table("acme", "worker"))
        fault("acme.worker", "--part", "index")
        await run("aria_index_corrupt", check_table("acme", "worker"))
        await run("aria_select_after", "SELECT COUNT(*) FROM acme.worker")
        fault("acme.ticket", "--part", "data")
        await run("innodb_corrupt", check_table("acme", "ticket"))
        await run("innodb_select_after", "SELECT * FROM acme.ticket")
        lab.heal("web1")
        # a MyISAM table open for writing when the server crashed: not closed properly
        run_sql(lab.handle("web1"), "INSERT INTO acme.tag VALUES (1000, 'crash-me');")
        lab.fault("web1", "kill-mysql")
        lab.heal("web1", "kill-mysql")
        await run("myisam_not_closed", check_table("acme", "tag"))
        run_sql(lab.handle("web1"), "DELETE FROM acme.tag WHERE id = 1000; FLUSH TABLES;")
        # permission denied: a user that may connect but not read the site
        run_sql(lab.handle("web1"), "CREATE USER IF NOT EXISTS 'nobody'@'%' IDENTIFIED BY 'nobody-pw';")
        from dataclasses import replace

        import cockpit.transport.mysql_credentials as mc
        orig = mc.credentials_for
        mc.credentials_for = lambda _m: mc.Credentials("nobody", "nobody-pw")  # type: ignore[assignment]
        import cockpit.transport.mysql as tm
        tm.credentials_for = mc.credentials_for  # type: ignore[assignment]
        try:
            await run("permission_denied", check_table("acme", "ticket"))
            m2 = replace(m, port=m.port)
            servers2 = MySqlServers(pool)
            mc.credentials_for = lambda _m: mc.Credentials("cockpit", "wrong-password")  # type: ignore[assignment]
            tm.credentials_for = mc.credentials_for  # type: ignore[assignment]
            try:
                await servers2.execute("web1", m2, "SELECT 1")
            except MySqlError as e:
                cases["wrong_password"] = {"statement": "connect", "error": str(e), "code": e.code}
        finally:
            mc.credentials_for = orig  # type: ignore[assignment]
            tm.credentials_for = orig  # type: ignore[assignment]
    finally:
        lab.heal()
        await servers.close()
        await pool.close()
    return cases


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dir", required=True)
    args = ap.parse_args()
    cases = asyncio.run(_capture(Lab(args.dir)))
    OUT.write_text(json.dumps(cases, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
