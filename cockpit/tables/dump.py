"""``mariadb-dump`` of a site (or some of its tables) run on its host over SSH.

The dump is written to a file on the host (a dump can be far bigger than
what the cockpit reads back). The credentials go on stdin as an option file
(``--defaults-extra-file=/dev/stdin``), never on a command line; every value
is shell-quoted.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence

from cockpit.inventory.model import Site
from cockpit.transport.mysql_credentials import Credentials, credentials_for
from cockpit.transport.result import RunResult
from cockpit.transport.ssh import SshPool


def dump_command(database: str, tables: Sequence[str], output: str, *, with_credentials: bool = True,
                 port: int | None = None, address: str | None = None) -> str:
    """The shell command (pure): dump to ``output`` atomically (``output.part`` renamed when complete)."""
    argv = ["mariadb-dump"]
    if with_credentials:
        argv.append("--defaults-extra-file=/dev/stdin")
    if address is not None:
        argv += [f"--host={address}", f"--port={port or 3306}", "--protocol=tcp"]
    argv += ["--single-transaction", "--skip-dump-date", "--", database, *tables]
    part = output + ".part"
    return (f"umask 077 && {shlex.join(argv)} > {shlex.quote(part)} && "
            f"mv -f {shlex.quote(part)} {shlex.quote(output)}")


async def dump_site(pool: SshPool, site: Site, output: str, tables: Sequence[str] = (), *,
                    timeout: float = 600.0, credentials: Credentials | None = None) -> RunResult:
    """Dump ``site``'s database (or ``tables`` of it) into ``output`` on its host.
    Uses the site's MySQL credentials (on stdin); the server address as the host sees it."""
    cred = credentials or credentials_for(site.mysql)
    m = site.mysql
    address = m.address if m.via == "ssh" else "127.0.0.1"
    cmd = dump_command(site.database or site.name, tables, output, port=m.port, address=address)
    return await pool.run(site.host, cmd, timeout=timeout, stdin=cred.option_file_text(), max_bytes=1 << 20)
