"""Where a lab host's MariaDB keeps its files, its my.cnf, and the lab-wide
datadir template and client credentials.

The datadir sits on the host's data mount (``/srv/mysql``), so the lab's disk
faults (read-only remount, ext4 errors, a full disk) hit the database as they
would on a real host. ``mariadb-install-db`` runs once per lab into a template
(``DIR/mariadb/template``, ~1 s) that each host gets a sparse copy of (~10 ms):
cheaper than running it per host.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import threading
from pathlib import Path

from cockpit.lab import procs
from cockpit.lab.errors import LabError

MARIADBD = "/usr/sbin/mariadbd"
INSTALL_DB = "mariadb-install-db"
DATA_MOUNT = "/srv"
DATADIR = "/srv/mysql"
SOCKET = "/run/mysqld/mysqld.sock"
# NOT /etc/mysql/my.cnf: that is an absolute symlink (alternatives), and the host's
# seed files are copied before pivot_root, so writing through it would change the
# MACHINE's /etc/mysql/mariadb.cnf. The client tools find the socket by Debian's defaults.
CNF = "/etc/mysql/lab.cnf"
ERROR_LOG = "/run/lab/mariadb.err"
BACKUP_DIR = "/var/backups/mysql"  # on the host's root, not its data mount: survives a broken /srv
PORT = 3306
USER = "cockpit"
PASSWORD_ENV = "COCKPIT_MYSQL_PASSWORD"  # noqa: S105 - the NAME of an environment variable

# Small buffers: a lab host's server costs ~60 MB, not the defaults' ~400 MB.
_SIZING = """innodb_buffer_pool_size = 16M
innodb_log_file_size = 4M
innodb_log_buffer_size = 1M
innodb_temp_data_file_path = ibtmp1:1M:autoextend
innodb_autoextend_increment = 1
key_buffer_size = 4M
aria_pagecache_buffer_size = 8M
aria_log_file_size = 8M
table_open_cache = 400
table_definition_cache = 400
max_connections = 100
thread_cache_size = 4
performance_schema = OFF
"""


def my_cnf(bind: str) -> str:
    return f"""# lab MariaDB (cockpit.lab.services.mariadb)
[mysqld]
user = root
datadir = {DATADIR}
socket = {SOCKET}
pid-file = /run/mysqld/mysqld.pid
bind-address = {bind}
port = {PORT}
log-error = {ERROR_LOG}
skip-name-resolve
skip-log-bin
skip-external-locking
# Corruption must stay visible: no silent auto-repair on the next SELECT.
myisam_recover_options = OFF
aria_recover_options = OFF
{_SIZING}"""


_template_lock = threading.Lock()


def template_dir(lab_dir: Path) -> Path:
    return lab_dir / "mariadb" / "template"


def ensure_template(lab_dir: Path) -> Path:
    """The lab's freshly installed datadir (made once; hosts are built in parallel threads)."""
    tmpl = template_dir(lab_dir)
    with _template_lock:
        if (tmpl / "mysql").is_dir():
            return tmpl
        work = tmpl.with_name("template.tmp")
        shutil.rmtree(work, ignore_errors=True)
        work.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        argv = [INSTALL_DB, "--no-defaults", f"--datadir={work}", "--user=root", "--skip-test-db",
                "--auth-root-authentication-method=socket", "--innodb-log-file-size=4M",
                "--innodb-buffer-pool-size=16M", "--innodb-autoextend-increment=1"]
        try:
            p = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False,
                               env=procs.SERVICE_ENV)
        except subprocess.TimeoutExpired:
            raise LabError("mariadb-install-db did not finish in 120 s") from None
        if p.returncode != 0:
            last = (p.stderr.strip() or p.stdout.strip() or "no message").splitlines()[-1]
            raise LabError(f"mariadb-install-db failed: {last}")
        shutil.rmtree(tmpl, ignore_errors=True)
        work.rename(tmpl)
        return tmpl


def copy_template(lab_dir: Path, dest: Path) -> None:
    """A sparse copy (ibdata1 is ~70 MB of mostly zeros) into a host's datadir."""
    tmpl = ensure_template(lab_dir)
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    p = subprocess.run(["cp", "-a", "--sparse=always", f"{tmpl}/.", str(dest)], capture_output=True,
                       text=True, check=False)
    if p.returncode != 0:
        raise LabError(f"copying the MariaDB template to {dest}: {p.stderr.strip()}")


_password_lock = threading.Lock()


def client_cnf_path(lab_dir: Path) -> Path:
    return lab_dir / "client" / "my.cnf"


def lab_password(lab_dir: Path) -> str:
    """The ``cockpit`` user's password: $COCKPIT_MYSQL_PASSWORD when set at
    ``lab up``, else a random one; kept in ``DIR/client/my.cnf`` (0600), the
    option file the lab's inventory names."""
    path = client_cnf_path(lab_dir)
    with _password_lock:
        if path.exists():
            for line in path.read_text().splitlines():
                key, _, value = line.partition("=")
                if key.strip() == "password":
                    return value.strip().strip('"')
        password = os.environ.get(PASSWORD_ENV) or secrets.token_urlsafe(18)
        if any(c in password for c in "\"'\\\n"):
            raise LabError(f"${PASSWORD_ENV} for the lab must not contain quotes, backslashes or newlines")
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_name(path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(f'[client]\nuser = {USER}\npassword = "{password}"\n')
        tmp.replace(path)
        return password
