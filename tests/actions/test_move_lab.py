"""move-database against real MariaDB on web1 and the standby: sound tables
live (a row written just before the move arrives), a corrupt one from the
backup, the standby's older tables set aside, every origin in the plan and audit."""

from __future__ import annotations

from pathlib import Path

import pytest
from action_lab import audit, cli, make_inventory

from cockpit.lab import Lab
from cockpit.lab.services.mariadb import run_sql

pytestmark = pytest.mark.lab


def sql(lab: Lab, host: str, query: str) -> str:
    return run_sql(lab.handle(host), query).strip()


def test_move_database_keeps_live_data_and_takes_corrupt_tables_from_the_backup(dblab: Lab, tmp_path: Path) -> None:
    inv = make_inventory(dblab, tmp_path)
    sql(dblab, "web1", "INSERT INTO globex.customer (id, name, email, created) "
                       "VALUES (900001, 'written just now', 'now@example.test', NOW())")
    settings_rows = sql(dblab, "web1", "SELECT COUNT(*) FROM globex.settings")
    dblab.fault("web1", "corrupt-table", "globex.settings")
    try:
        p = cli(inv, "action", "move-database", "globex", "--yes")
    finally:
        dblab.heal("web1")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "settings: BACKUP" in p.stdout and "customer: LIVE" in p.stdout  # every table's origin in the plan
    assert "mariadb-dump --defaults-extra-file=/dev/stdin" in p.stdout and "--single-transaction" in p.stdout
    assert sql(dblab, "standby1", "SELECT name FROM globex.customer WHERE id = 900001") == "written just now"
    assert sql(dblab, "standby1", "SELECT COUNT(*) FROM globex.settings") == settings_rows
    assert sql(dblab, "standby1", "CHECK TABLE globex.settings").split()[-1] == "OK"
    replaced = sql(dblab, "standby1", "SHOW TABLES FROM globex LIKE '%\\_\\_replaced\\_%'").split()
    assert "customer__replaced_" in " ".join(replaced)  # the standby's older copy is set aside, not dropped
    assert "cockpit-mycnf" not in sql(dblab, "standby1", "SELECT 1") and \
        dblab.exec("standby1", ["sh", "-c", "ls /run | grep -c cockpit-mycnf"]).stdout.strip() == b"0"
    start = next(r for r in audit(inv) if r["kind"] == "action-start")
    assert any("settings: BACKUP" in n for n in start["plan"]["notes"])
