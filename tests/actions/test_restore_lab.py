"""restore-table and restore-corrupt-tables against real MariaDB corruption
(Aria and MyISAM files overwritten on disk, recovery options off)."""

from __future__ import annotations

from pathlib import Path

import pytest
from action_lab import audit, cli, make_inventory

from cockpit.lab import Lab
from cockpit.lab.services.mariadb import run_sql

pytestmark = pytest.mark.lab


def sql(lab: Lab, query: str) -> str:
    return run_sql(lab.handle("web1"), query).strip()


def test_restore_table_round_trip_keeps_the_corrupt_copy(dblab: Lab, tmp_path: Path) -> None:
    inv = make_inventory(dblab, tmp_path)
    backup_rows = sql(dblab, "SELECT COUNT(*) FROM acme.worker")
    dblab.fault("web1", "corrupt-table", "acme.worker")
    assert "Corrupt" in sql(dblab, "CHECK TABLE acme.worker") or "error" in sql(dblab, "CHECK TABLE acme.worker")

    p = cli(inv, "action", "restore-table", "acme.worker", "--yes")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "RENAME TABLE `acme`.`worker` TO `acme`.`worker__corrupt_" in p.stdout  # the exact SQL in the plan
    assert f"{backup_rows} rows loaded from the backup" in p.stdout
    assert f"verify OK   row count equals the backup's: {backup_rows} rows" in p.stdout
    assert sql(dblab, "CHECK TABLE acme.worker").split()[-1] == "OK"
    assert sql(dblab, "SELECT COUNT(*) FROM acme.worker") == backup_rows
    aside = sql(dblab, "SHOW TABLES FROM acme LIKE 'worker\\_\\_corrupt\\_%'").split()
    assert len(aside) == 1  # the corrupt copy is still there, renamed

    # a re-run finds it restored and does nothing
    p = cli(inv, "action", "restore-table", "acme.worker", "--yes")
    assert p.returncode == 0 and "already restored, nothing to do" in p.stdout
    assert len(sql(dblab, "SHOW TABLES FROM acme LIKE 'worker\\_\\_corrupt\\_%'").split()) == 1
    verify = [r for r in audit(inv) if r["kind"] == "action-verify"]
    assert verify and all(r["ok"] for r in verify)


def test_a_sound_table_is_never_replaced(dblab: Lab, tmp_path: Path) -> None:
    inv = make_inventory(dblab, tmp_path)
    p = cli(inv, "action", "restore-table", "acme.customer", "--yes")
    assert p.returncode == 3
    assert "FAIL acme.customer fails CHECK TABLE (only a damaged table is replaced): ok" in p.stdout


def test_restore_corrupt_tables_restores_only_the_corrupt_ones(dblab: Lab, tmp_path: Path) -> None:
    inv = make_inventory(dblab, tmp_path)
    dblab.fault("web1", "corrupt-table", "initech.tag")
    p = cli(inv, "action", "restore-corrupt-tables", "initech", "--yes")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "restore-table initech.tag" in p.stdout and "customer is sound: untouched" in p.stdout
    tables = sql(dblab, "SHOW TABLES FROM initech").split()
    assert [t for t in tables if "__corrupt_" in t] == [t for t in tables if t.startswith("tag__corrupt_")]
    assert len([t for t in tables if "__corrupt_" in t]) == 1
    assert sql(dblab, "CHECK TABLE initech.tag").split()[-1] == "OK"


def test_recheck_looks_again_without_asking(dblab: Lab, tmp_path: Path) -> None:
    inv = make_inventory(dblab, tmp_path)
    p = cli(inv, "action", "recheck", "globex")  # no --yes: a re-check does not ask
    assert p.returncode == 0, p.stdout + p.stderr
    assert "globex: " in p.stdout and "tables checked" in p.stdout
    assert "globex.example.test: " in p.stdout and "% of servers answer" in p.stdout
    p = cli(inv, "action", "recheck", "standby1")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "standby1: up" in p.stdout
