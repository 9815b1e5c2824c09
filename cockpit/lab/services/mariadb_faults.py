"""MariaDB faults: real garbage in real table files, a hung server, a crash.

``corrupt-table DB.TABLE [--part index|data]`` first dumps the table (the heal
loads that dump back: DROP + CREATE + INSERT, which also clears any "crashed"
flag), then overwrites bytes in the middle of the table's file:

* MyISAM ``.MYI``/``.MYD``, Aria ``.MAI``/``.MAD``: ``FLUSH TABLES db.t`` so the
  server has the file closed, then overwrite (the next open reads garbage);
* InnoDB ``.ibd``: stop the server cleanly, overwrite part of a page (the
  clustered index for ``data``, a secondary index page for ``index``), start it.

``hang-mysql`` SIGSTOPs mariadbd (connects and queries hang; the TCP port
still accepts); ``kill-mysql`` SIGKILLs it (connection refused), as a crash.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

from cockpit.lab import procs
from cockpit.lab.errors import LabError
from cockpit.lab.faultkind import FaultKind
from cockpit.lab.host import HostHandle
from cockpit.lab.services import mariadb_conf as conf
from cockpit.lab.services.base import LabContext
from cockpit.lab.services.mariadb import main_pid, run_sql
from cockpit.lab.services.mariadb_seed import ident, literal
from cockpit.lab.state import FaultRec

PARTS = ("index", "data")
# engine -> (index file, data file)
_FILES = {"MyISAM": (".MYI", ".MYD"), "Aria": (".MAI", ".MAD"), "InnoDB": (".ibd", ".ibd")}
_PAGE = {"MyISAM": 1024, "Aria": 8192, "InnoDB": 16384}


def filename(name: str) -> str:
    """MariaDB's on-disk name of a database or table (ASCII part of its 'filename' charset)."""
    return "".join(c if c.isascii() and (c.isalnum() or c == "_") else f"@{ord(c):04x}" for c in name)


def _parse(args: list[str]) -> tuple[str, str, str]:
    target, rest = args[0], args[1:]
    part = "data"
    while rest:
        opt = rest.pop(0)
        if opt == "--part" and rest:
            part = rest.pop(0)
        elif opt.startswith("--part="):
            part = opt.split("=", 1)[1]
        elif opt in PARTS:
            part = opt
        else:
            raise LabError(f"corrupt-table: unexpected {opt!r} (usage: DB.TABLE [--part index|data])")
    if part not in PARTS:
        raise LabError(f"corrupt-table: --part must be index or data, not {part!r}")
    db, dot, table = target.partition(".")
    if not dot or not db or not table:
        raise LabError(f"corrupt-table: expected DB.TABLE, not {target!r}")
    return db, table, part


def _engine(host: HostHandle, db: str, table: str) -> str:
    out = run_sql(host, "SELECT ENGINE FROM information_schema.TABLES "
                        f"WHERE TABLE_SCHEMA = {literal(db)} AND TABLE_NAME = {literal(table)};").strip()
    if not out:
        raise LabError(f"{host.name}: no table {db}.{table}")
    if out not in _FILES:
        raise LabError(f"{host.name}: {db}.{table} is {out}; corrupt-table handles {', '.join(_FILES)}")
    return out


def _dump_path(host: HostHandle, db: str, table: str) -> Path:
    return host.dir / "mariadb-faults" / f"{filename(db)}.{filename(table)}.sql"


def overwrite_span(size: int, page: int, engine: str, part: str) -> tuple[int, int]:
    """Where to write garbage: inside a page in the middle of the file, never
    the file's first page (its header), so the server still opens the table."""
    pages = max(size // page, 1)
    if engine == "InnoDB":
        # page 3 is the clustered index root; later pages hold leaves and secondary indexes
        target = max(3, pages // 2) if part == "data" else max(4, pages - 2)
        return target * page + 200, 2000
    target = max(1, pages // 2)
    start = target * page + (page // 8 if engine == "Aria" else 0)
    return start, min(4096 if engine == "MyISAM" else 1024, max(size - start, 64))


def _garbage(path: Path, engine: str, part: str) -> tuple[int, int]:
    size = path.stat().st_size
    offset, length = overwrite_span(size, _PAGE[engine], engine, part)
    with open(path, "r+b") as f:
        f.seek(offset)
        f.write(os.urandom(length))
        f.flush()
        os.fsync(f.fileno())
    return offset, length


def _corrupt_apply(lab: LabContext, host: HostHandle, args: list[str]) -> dict[str, Any]:
    db, table, part = _parse(args)
    engine = _engine(host, db, table)
    dump = _dump_path(host, db, table)
    dump.parent.mkdir(parents=True, exist_ok=True)
    p = host.exec(["mariadb-dump", "--single-transaction", "--skip-dump-date", db, table], timeout=300)
    if p.returncode != 0:
        raise LabError(f"{host.name}: mariadb-dump {db} {table}: {p.stderr.decode(errors='replace').strip()}")
    dump.write_bytes(p.stdout)
    ext = _FILES[engine][PARTS.index(part)]
    path = host.path(f"{conf.DATADIR}/{filename(db)}/{filename(table)}{ext}")
    if not path.exists():
        raise LabError(f"{host.name}: {path} does not exist")
    if engine == "InnoDB":
        lab.stop_service(host, "mariadb")
        try:
            offset, length = _garbage(path, engine, part)
        finally:
            lab.start_service(host, "mariadb")
    else:
        run_sql(host, f"FLUSH TABLES {ident(db)}.{ident(table)};")
        offset, length = _garbage(path, engine, part)
    return {"engine": engine, "file": path.name, "offset": offset, "length": length, "dump": str(dump)}


def _corrupt_heal(lab: LabContext, host: HostHandle, rec: FaultRec) -> None:
    db, table, _ = _parse(rec.args)
    dump = Path(rec.data.get("dump") or _dump_path(host, db, table))
    if not dump.exists():
        return  # the fault never got as far as corrupting
    _ensure_running(lab, host)
    run_sql(host, dump.read_text(errors="replace"), database=db)
    dump.unlink()


def _ensure_running(lab: LabContext, host: HostHandle) -> None:
    rec = host.state.running.get("mariadb")
    if rec is None or not procs.alive(rec.pid):
        lab.stop_service(host, "mariadb")
        lab.start_service(host, "mariadb")


def _hang_apply(lab: LabContext, host: HostHandle, args: list[str]) -> dict[str, Any]:
    pid = main_pid(host)
    os.kill(pid, signal.SIGSTOP)
    return {"pid": pid}


def _hang_heal(lab: LabContext, host: HostHandle, rec: FaultRec) -> None:
    svc = host.state.running.get("mariadb")
    procs.signal_proc(svc.launcher if svc else None, signal.SIGCONT)  # nsenter stops with its child
    if svc is not None:
        procs.signal_proc(svc.pid, signal.SIGCONT)


def _kill_apply(lab: LabContext, host: HostHandle, args: list[str]) -> dict[str, Any]:
    pid = main_pid(host)
    host.kill_service("mariadb")  # SIGKILL: a crash, not a shutdown
    return {"pid": pid}


def _kill_heal(lab: LabContext, host: HostHandle, rec: FaultRec) -> None:
    _ensure_running(lab, host)


FAULTS: tuple[FaultKind, ...] = (
    FaultKind("corrupt-table", "DB.TABLE [--part index|data]",
              "overwrite bytes of a table's file on disk (MyISAM/Aria/InnoDB); heal reloads a dump",
              _corrupt_apply, _corrupt_heal, 1, 3, slot_by_first_arg=True),
    FaultKind("hang-mysql", "", "SIGSTOP the host's mariadbd (connects and queries hang)",
              _hang_apply, _hang_heal, slot="mysql"),
    FaultKind("kill-mysql", "", "SIGKILL the host's mariadbd (connection refused, as after a crash)",
              _kill_apply, _kill_heal, slot="mysql"),
)
