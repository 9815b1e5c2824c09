"""restore-table from the other kinds of backup a fleet keeps: a mydumper
directory (real mydumper, gzipped chunks), and a dump that lives on another
host than the server being restored (streamed over the cockpit's SSH).

Site ``umbrella`` of the ``dblab`` is used only here; its mariadb-dump file
is on web1 at /var/backups/mysql/umbrella.sql, its mydumper directory at
/var/backups/mydumper/umbrella."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from action_lab import cli

from cockpit.lab import Lab
from cockpit.lab.inventory_writer import dumps
from cockpit.lab.services.mariadb import run_sql

pytestmark = pytest.mark.lab


def sql(lab: Lab, query: str) -> str:
    return run_sql(lab.handle("web1"), query).strip()


def inventory(lab: Lab, tmp_path: Path, **umbrella: Any) -> Path:
    """The lab's inventory (own audit and state) with site umbrella's keys replaced by ``umbrella``."""
    data = tomllib.loads(lab.inventory_path.read_text())
    data |= {"audit_file": str(tmp_path / "audit.jsonl"), "state_dir": str(tmp_path / "state")}
    site = next(s for s in data["sites"] if s["name"] == "umbrella")
    site |= umbrella
    path = tmp_path / "inventory.toml"
    path.write_text(dumps(data))
    return path


def asides(lab: Lab, table: str) -> list[str]:
    return sql(lab, f"SHOW TABLES FROM umbrella LIKE '{table}\\_\\_corrupt\\_%'").split()


def test_restore_table_from_a_mydumper_directory(dblab: Lab, tmp_path: Path) -> None:
    inv = inventory(dblab, tmp_path, backup="/var/backups/mydumper/umbrella", backup_format="mydumper")
    chunks = sorted(p.name for p in dblab.handle("web1").path("/var/backups/mydumper/umbrella").iterdir()
                    if p.name.startswith("umbrella.ticket_audit."))
    assert len(chunks) > 3 and all(c.endswith(".sql.gz") for c in chunks)  # the real tool's chunked layout
    backup_rows = sql(dblab, "SELECT COUNT(*) FROM umbrella.ticket_audit")
    dblab.fault("web1", "corrupt-table", "umbrella.ticket_audit")

    p = cli(inv, "action", "restore-table", "umbrella.ticket_audit", "--yes")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "mydumper directory web1:/var/backups/mydumper/umbrella dated 20" in p.stdout  # metadata's date
    assert f"{backup_rows} rows loaded from the backup" in p.stdout
    assert f"verify OK   row count equals the backup's: {backup_rows} rows" in p.stdout
    assert sql(dblab, "CHECK TABLE umbrella.ticket_audit").split()[-1] == "OK"
    assert sql(dblab, "SELECT COUNT(*) FROM umbrella.ticket_audit") == backup_rows
    assert len(asides(dblab, "ticket_audit")) == 1  # the corrupt copy kept, renamed

    # the corrupt copy set aside is evidence, not a table to restore
    p = cli(inv, "action", "restore-corrupt-tables", "umbrella", "--yes")
    assert "ticket_audit__corrupt_" in p.stdout and "kept as it is" in p.stdout, p.stdout
    assert "restore-table umbrella.ticket_audit__corrupt" not in p.stdout
    assert len(asides(dblab, "ticket_audit")) == 1



def test_restore_table_from_a_backup_on_another_host(dblab: Lab, tmp_path: Path) -> None:
    # the dump lives only on standby1 (a path web1 does not have): the section is read there and
    # streamed into web1's scratch schema by the cockpit
    dump = dblab.handle("web1").path("/var/backups/mysql/umbrella.sql").read_bytes()
    elsewhere = dblab.handle("standby1").path("/var/backups/elsewhere")
    elsewhere.mkdir(parents=True, exist_ok=True)
    (elsewhere / "umbrella.sql").write_bytes(dump)
    assert not dblab.handle("web1").path("/var/backups/elsewhere").exists()
    inv = inventory(dblab, tmp_path, backup="/var/backups/elsewhere/umbrella.sql", backup_host="standby1")
    backup_rows = sql(dblab, "SELECT COUNT(*) FROM umbrella.worker")
    dblab.fault("web1", "corrupt-table", "umbrella.worker")

    p = cli(inv, "action", "restore-table", "umbrella.worker", "--yes")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "mariadb-dump file standby1:/var/backups/elsewhere/umbrella.sql" in p.stdout
    assert "streamed from standby1 over SSH" in p.stdout
    assert f"verify OK   row count equals the backup's: {backup_rows} rows" in p.stdout
    assert sql(dblab, "CHECK TABLE umbrella.worker").split()[-1] == "OK"
    assert sql(dblab, "SELECT COUNT(*) FROM umbrella.worker") == backup_rows
    assert len(asides(dblab, "worker")) == 1
