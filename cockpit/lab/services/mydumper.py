"""mydumper backups on a lab host: at ``lab up``, the real ``mydumper`` dumps
each of ``sites`` (served by this host's MariaDB, listed before this service)
into ``DIR/<db>/``: ``metadata``, ``<db>.<t>-schema.sql`` and the rows, in
chunks of ``rows`` (``<db>.<t>.00000.sql`` ...) and gzipped when ``compress``.

The inventory is left as it is (the sites' ``backup`` stays the mariadb-dump
file): a test or an engineer points a site at the directory with ``backup =
"DIR/<db>"`` and ``backup_format = "mydumper"``.

Debian 12's mydumper 0.10 cannot dump a table whose name holds a backtick
(it fails with "Incorrect table name"): do not list a site seeded with the
lab's odd table name.
"""

from __future__ import annotations

import dataclasses

from cockpit.lab.errors import LabError
from cockpit.lab.host import HostHandle
from cockpit.lab.services import mariadb_conf as conf
from cockpit.lab.services.base import LabContext, Service, register

DIR = "/var/backups/mydumper"


@register
@dataclasses.dataclass(frozen=True)
class MydumperBackup(Service):
    name = "mydumper"
    packages = ("mydumper",)
    tools = ("mydumper",)

    sites: tuple[str, ...] = ()
    rows: int = 0  # chunk size (--rows); 0: one data file per table
    compress: bool = False  # -c: .sql.gz files

    def __post_init__(self) -> None:  # lists from the JSON state file become tuples
        object.__setattr__(self, "sites", tuple(self.sites))

    def setup(self, lab: LabContext, host: HostHandle) -> None:  # after the MariaDB listed before it is ready
        host.path(DIR).mkdir(parents=True, exist_ok=True)
        for db in self.sites:
            out = f"{DIR}/{db}"
            if host.path(out).joinpath("metadata").exists():
                continue  # dumped at an earlier lab up: a backup is not retaken
            argv = ["mydumper", f"--socket={conf.SOCKET}", "--user=root", f"--database={db}",
                    f"--outputdir={out}", "--threads=2"]
            argv += [f"--rows={self.rows}"] if self.rows else []
            argv += ["--compress"] if self.compress else []
            p = host.exec(argv, timeout=300.0)
            if p.returncode != 0 or not host.path(out).joinpath("metadata").exists():
                err = (p.stderr.decode(errors="replace").strip().splitlines() or [f"exit {p.returncode}"])[-1]
                raise LabError(f"{host.name}: mydumper {db}: {err}")
