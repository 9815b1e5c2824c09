"""A real MariaDB inside a lab host: same network and mount namespace as its
sshd, on the host's own 127.0.0.1:3306, datadir on the host's data mount.

* ``sites``: databases served from this host (they become ``[[sites]]`` of the
  lab's inventory, with ``host`` = this host); ``standby_for``: databases
  this host keeps as a standby copy (the sites' ``standby``).
* Each database gets the helpdesk schema (:mod:`mariadb_seed`); a
  ``mariadb-dump`` of it is kept at ``/var/backups/mysql/DB.sql`` on the host
  (the site's ``backup``), taken at ``lab up``.
* The ``cockpit`` user's password is ``$COCKPIT_MYSQL_PASSWORD`` at ``lab up``
  or a random one, in ``DIR/client/my.cnf`` (the inventory's ``option_file``).
* Faults: ``corrupt-table``, ``hang-mysql``, ``kill-mysql`` (:mod:`mariadb_faults`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import signal
import socket
import time
from typing import Any

from cockpit.lab import mounts, procs
from cockpit.lab.errors import LabError
from cockpit.lab.faultkind import FaultKind
from cockpit.lab.host import HostHandle
from cockpit.lab.services import mariadb_conf as conf
from cockpit.lab.services.base import LabContext, Service, register
from cockpit.lab.services.mariadb_seed import seed_sql

SEEDED_MARK = f"{conf.DATADIR}/.lab-seeded"
STOP_TIMEOUT = 20.0


def run_sql(host: HostHandle, sql: str, *, timeout: float = 300.0, database: str | None = None) -> str:
    """Run SQL as the server's root (unix socket) inside the host; the output (batch, no headers)."""
    argv = ["mariadb", "--batch", "--skip-column-names"] + ([database] if database else [])
    p = host.exec(argv, input=sql.encode(), timeout=timeout)
    if p.returncode != 0:
        err = p.stderr.decode(errors="replace").strip().splitlines()
        raise LabError(f"{host.name}: mariadb: {err[-1] if err else 'failed'}")
    return p.stdout.decode(errors="replace")


def main_pid(host: HostHandle) -> int:
    rec = host.state.running.get("mariadb")
    if rec is None or not procs.alive(rec.pid):
        raise LabError(f"{host.name}: mariadb is not running")
    assert rec.pid is not None
    return rec.pid.pid


@register
@dataclasses.dataclass(frozen=True)
class MariaDB(Service):
    name = "mariadb"
    packages = ("mariadb-server", "mariadb-client")
    tools = (conf.MARIADBD, conf.INSTALL_DB, "mariadb", "mariadb-dump")
    mounts_used = (conf.DATA_MOUNT,)

    sites: tuple[str, ...] = ()
    standby_for: tuple[str, ...] = ()
    odd_table_in: tuple[str, ...] = ()  # sites that also get a table named with backticks and spaces
    extra_tables: int = 0  # more small tables per site (the benchmark's 20 per site)
    rows_scale: float = 1.0
    listen_on_lab_address: bool = False  # also on the host's lab address (for via = "direct")
    empty_standby: bool = False  # standby_for databases are NOT created (a standby "mirroring nothing yet")
    backup_host: str = ""  # the host the inventory names as the sites' backup_host (default: this one)
    recheck_interval: float = 0.0  # [mysql] recheck_interval for the inventory (0: the cockpit's default)

    def __post_init__(self) -> None:  # lists from the JSON state file become tuples
        for f in ("sites", "standby_for", "odd_table_in"):
            object.__setattr__(self, f, tuple(getattr(self, f)))

    @property
    def databases(self) -> tuple[str, ...]:
        standby = () if self.empty_standby else self.standby_for
        return (*self.sites, *[d for d in standby if d not in self.sites])

    def prepare(self, lab: LabContext, host: HostHandle) -> None:
        bind = "127.0.0.1" + (f",{host.address}" if self.listen_on_lab_address else "")
        host.seed(conf.CNF).write_text(conf.my_cnf(bind))
        conf.ensure_template(lab.dir)
        conf.lab_password(lab.dir)

    def setup(self, lab: LabContext, host: HostHandle) -> None:
        host.path("/run/mysqld").mkdir(exist_ok=True)
        conf.copy_template(lab.dir, host.path(conf.DATADIR))

    def command(self, lab: LabContext, host: HostHandle) -> list[str]:
        host.path("/run/mysqld").mkdir(exist_ok=True)  # /run is a tmpfs: gone after a host restart
        return [conf.MARIADBD, f"--defaults-file={conf.CNF}"]

    def wait_ready(self, lab: LabContext, host: HostHandle, timeout: float) -> None:
        self._wait_socket(host, timeout)
        if not host.path(SEEDED_MARK).exists():
            self._seed(lab, host)

    def _wait_socket(self, host: HostHandle, timeout: float) -> None:
        rec = host.state.running.get(self.name)
        deadline = time.monotonic() + max(timeout, 60.0)
        last = "no answer"
        while time.monotonic() < deadline:
            if rec is not None and not procs.alive(rec.pid):
                if _read_only(host):
                    return  # as on a real host: a read-only datadir keeps the server down
                why = procs.tail(host.path(conf.ERROR_LOG)) or procs.tail(host.dir / "mariadb.out")
                raise LabError(f"{host.name}: mariadbd exited: {why}")
            try:
                with socket.socket(socket.AF_UNIX) as s:
                    s.settimeout(2)
                    s.connect(str(host.path(conf.SOCKET)))
                    if len(s.recv(128)) > 4:  # the server's greeting packet
                        return
            except OSError as e:
                last = e.strerror or str(e)
            time.sleep(0.05)
        raise LabError(f"{host.name}: mariadbd does not answer on {conf.SOCKET} ({last})")

    def _seed(self, lab: LabContext, host: HostHandle) -> None:
        sql = seed_sql(conf.lab_password(lab.dir), self.databases, extra_tables=self.extra_tables,
                       odd_table_in=self.odd_table_in, rows_scale=self.rows_scale)
        run_sql(host, sql, timeout=600)
        backups = host.path(conf.BACKUP_DIR)
        backups.mkdir(parents=True, exist_ok=True)
        for db in self.sites:
            p = host.exec(["mariadb-dump", "--single-transaction", "--skip-dump-date", db], timeout=300)
            if p.returncode != 0:
                raise LabError(f"{host.name}: mariadb-dump {db}: {p.stderr.decode(errors='replace').strip()}")
            (backups / f"{db}.sql").write_bytes(p.stdout)
        host.path(SEEDED_MARK).write_text("seeded by cockpit lab up\n")

    def stop(self, lab: LabContext, host: HostHandle) -> None:
        """A clean shutdown (MyISAM tables closed properly), then the cgroup killed."""
        rec = host.state.running.get(self.name)
        if rec is not None and procs.alive(rec.pid):
            assert rec.pid is not None
            procs.signal_proc(rec.launcher, signal.SIGCONT)  # a hung (SIGSTOPped) server first resumes
            with contextlib.suppress(ProcessLookupError):
                os.kill(rec.pid.pid, signal.SIGCONT)
                os.kill(rec.pid.pid, signal.SIGTERM)
            procs.wait_until(lambda: not procs.alive(rec.pid), STOP_TIMEOUT)
        host.kill_service(self.name)

    def faults(self) -> tuple[FaultKind, ...]:
        from cockpit.lab.services.mariadb_faults import FAULTS

        return FAULTS

    def fleet_inventory(self, lab: LabContext) -> dict[str, Any]:
        """Every lab site (the same list whichever host's service is asked: the writer merges them)."""
        served: dict[str, str] = {}
        standby: dict[str, str] = {}
        backup_host: dict[str, str] = {}
        recheck: list[float] = []
        for h in lab.state.hosts.values():
            for s in h.services:
                if s["name"] == self.name:
                    params = s.get("params") or {}
                    if params.get("recheck_interval"):
                        recheck.append(float(params["recheck_interval"]))
                    for db in params.get("sites", ()):
                        served.setdefault(db, h.name)
                        backup_host.setdefault(db, params.get("backup_host") or h.name)
                    for db in params.get("standby_for", ()):
                        standby.setdefault(db, h.name)
        sites = []
        for db, host in served.items():
            entry: dict[str, Any] = {"name": db, "hostname": f"{db}.example.test", "host": host}
            if db in standby and standby[db] != host:
                entry["standby"] = standby[db]
            entry |= {"database": db, "backup": f"{conf.BACKUP_DIR}/{db}.sql", "backup_host": backup_host[db]}
            entry["storage"] = f"/storage/{db}"  # imported from the lab's backup host (issue 5)
            sites.append(entry)
        mysql: dict[str, Any] = {"user": conf.USER, "option_file": str(conf.client_cnf_path(lab.dir))}
        if recheck:
            mysql["recheck_interval"] = min(recheck)
        return {"mysql": mysql, "sites": sites}


SITE_NAMES = ("acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka", "cyberdyne",
              "tyrell", "soylent", "vandelay", "oceanic", "monarch", "aperture", "dunder")


def lab_site_names(host_index: int, count: int) -> tuple[str, ...]:
    """The sites of the ``host_index``-th lab host (1-based): helpdesk-like names, then ``siteN-M``."""
    out = []
    for j in range(count):
        k = (host_index - 1) * count + j
        out.append(SITE_NAMES[k] if k < len(SITE_NAMES) else f"site{host_index}-{j + 1}")
    return tuple(out)


def with_sites(host_index: int, count: int) -> tuple[Service, ...]:
    """sshd and a MariaDB serving ``count`` sites (the first host's first site gets an odd table name)."""
    from cockpit.lab.services.sshd import Sshd

    sites = lab_site_names(host_index, count)
    return (Sshd(), MariaDB(sites=sites, odd_table_in=sites[:1] if host_index == 1 else ()))


def _read_only(host: HostHandle) -> bool:
    try:
        return any(m.mountpoint == conf.DATA_MOUNT and m.read_only for m in mounts.mount_table(host))
    except (LabError, OSError):
        return False
