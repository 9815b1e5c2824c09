"""The lab's own truth after a recovery, read inside the hosts (never through
the cockpit): table checksums, the backup's checksums, the tables still on the
broken host, and whether each imported /storage tree equals its backup copy."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cockpit.demo import fleet
from cockpit.lab import Lab
from cockpit.lab.services import mariadb_conf
from cockpit.lab.services.mariadb import run_sql
from cockpit.lab.services.mariadb_seed import ident, literal

BACKUP_ROOT = "/backup/storage"


def tables(lab: Lab, host: str, db: str) -> list[str]:
    out = run_sql(lab.handle(host), "SELECT TABLE_NAME FROM information_schema.TABLES "
                                    f"WHERE TABLE_SCHEMA = {literal(db)} ORDER BY TABLE_NAME;")
    return [line for line in out.splitlines() if line]


def checksums(lab: Lab, host: str, db: str, names: list[str]) -> dict[str, str]:
    """table -> CHECKSUM TABLE's value (``NULL`` when the server cannot read it)."""
    if not names:
        return {}
    out = run_sql(lab.handle(host), "CHECKSUM TABLE " + ", ".join(f"{ident(db)}.{ident(t)}" for t in names) + ";")
    result = {}
    for line in out.splitlines():
        name, _, value = line.rpartition("\t")
        result[name.split(".", 1)[1]] = value
    return result


def backup_checksums(lab: Lab, db: str, names: list[str], scratch_host: str = "web2") -> dict[str, str]:
    """CHECKSUM TABLE of the backup's copy: backup1's dump loaded into a scratch
    database on ``scratch_host`` (dropped afterwards)."""
    dump = lab.handle(fleet.BACKUP).path(f"{mariadb_conf.BACKUP_DIR}/{db}.sql").read_text(errors="replace")
    scratch = f"zz_backup_check_{db}"
    host = lab.handle(scratch_host)
    run_sql(host, f"DROP DATABASE IF EXISTS {ident(scratch)}; CREATE DATABASE {ident(scratch)};")
    try:
        run_sql(host, dump, database=scratch)
        return checksums(lab, scratch_host, scratch, names)
    finally:
        run_sql(host, f"DROP DATABASE IF EXISTS {ident(scratch)};")


def count_from(lab: Lab, host: str, db: str, table: str, first_id: int) -> int:
    out = run_sql(lab.handle(host), f"SELECT COUNT(*) FROM {ident(db)}.{ident(table)} WHERE id >= {first_id};")
    return int(out.strip() or 0)


def _tree(root: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    for dirpath, _dirs, files in os.walk(root):
        for f in files:
            p = Path(dirpath) / f
            rel = os.path.relpath(p, root)
            if p.is_symlink():
                out[rel] = "-> " + os.readlink(p)
            else:
                out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def storage_differences(lab: Lab, site: str, dest: str = fleet.STANDBY) -> list[str]:
    """Files that differ between backup1's copy and ``dest``'s /storage/SITE (empty: identical)."""
    a = _tree(lab.handle(fleet.BACKUP).path(f"{BACKUP_ROOT}/{site}"))
    b = _tree(lab.handle(dest).path(f"/storage/{site}"))
    if not a:
        return [f"{site}: the backup copy is empty"]
    return sorted(f"{site}/{k!r}" for k in set(a) | set(b) if a.get(k) != b.get(k))
