"""Table checker states for the sites pane tests, as a real check leaves them
(messages are those captured from MariaDB in tests/data/tables/)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from ui_states import NOW

from cockpit.tables.model import CheckMessage, SiteState, TableCheck, TableInfo, TableState, TableStatus

CHECKED = NOW - timedelta(minutes=2)
HOSTILE_TABLE = "[bold red]pwn[/] \x1b[31mx"

OK = (CheckMessage("status", "OK", "status"),)
ARIA_CORRUPT = (CheckMessage("error", "Page         7:  Got error: 176 when reading datafile", "error"),
                CheckMessage("error", "Corrupt", "error"))
MYISAM_CORRUPT = (CheckMessage("error", "Can't read key from filepos: 35840", "error"),
                  CheckMessage("error", "Index for table './acme/ticket_audit.MYI' is corrupt; try to repair it",
                               "Error"),
                  CheckMessage("error", "Corrupt", "error"))

TABLES = (("customer", "InnoDB", 500), ("ticket", "InnoDB", 1500), ("ticket_audit", "MyISAM", 2000),
          ("worker", "Aria", 400), ("settings", "Aria", 50), ("tag", "MyISAM", 100))


def table(name: str, engine: str, rows: int, status: TableStatus = TableStatus.OK,
          messages: tuple[CheckMessage, ...] = OK, **kw: object) -> TableState:
    return TableState(TableInfo(name, engine, rows, rows * 64, rows * 16),
                      TableCheck(status, messages, CHECKED), **kw)  # type: ignore[arg-type]


def site(name: str, host: str, bad: dict[str, tuple[TableStatus, tuple[CheckMessage, ...]]] | None = None,
         **kw: object) -> SiteState:
    bad = bad or {}
    tables = {n: table(n, e, r, *bad.get(n, (TableStatus.OK, OK))) for n, e, r in TABLES}
    s = SiteState(name, host, name, tables=tables, checked_at=CHECKED, version=1)
    for k, v in kw.items():
        setattr(s, k, v)
    return s


def mixed_sites() -> dict[str, SiteState]:
    """Clean, corrupt (two tables), unreachable with stale results, never checked, checking."""
    acme = site("acme", "web1", {"worker": (TableStatus.CORRUPT, ARIA_CORRUPT),
                                 "ticket_audit": (TableStatus.CORRUPT, MYISAM_CORRUPT)})
    acme.tables[HOSTILE_TABLE] = table(HOSTILE_TABLE, "MyISAM", 3)
    down = site("globex", "web2", error="MySQL on web2 (127.0.0.1:3306 via SSH): no answer within 5 s (server hung?)",
                unreachable=True)
    down.tables = {n: TableState(t.info, t.check, stale=True, stale_reason=down.error) for n, t in down.tables.items()}
    fresh = SiteState("umbrella", "web2", "umbrella", checking=True, done=3, total=12, version=1)
    return {"initech": site("initech", "web1"), "acme": acme, "globex": down, "umbrella": fresh,
            "hooli": site("hooli", "web1")}


def sites_inventory(tmp_path: Path, port: int, names: list[str] | None = None) -> Path:
    """An inventory whose hosts are unreachable (closed port) and whose sites are ``names``."""
    (tmp_path / "known_hosts").touch()
    text = (f'[defaults]\nconnect_timeout = 2\ncommand_timeout = 5\nrefresh = 600\n'
            f'known_hosts = "{tmp_path / "known_hosts"}"\n\n[mysql]\npassword_env = "COCKPIT_TEST_NO_SUCH_PW"\n')
    for h in ("web1", "web2"):
        text += f'\n[[hosts]]\nname = "{h}"\naddress = "127.0.0.1"\nssh_port = {port}\n'
    for n in names or ["acme", "globex", "hooli", "initech", "umbrella"]:
        host = "web2" if n in ("globex", "umbrella") else "web1"
        text += f'\n[[sites]]\nname = "{n}"\nhost = "{host}"\n'
    path = tmp_path / "inventory.toml"
    path.write_text(text)
    return path
