"""The ``[mysql]`` defaults and the ``[[sites]]`` section."""

from __future__ import annotations

from dataclasses import replace

from cockpit.inventory.errors import InventoryError
from cockpit.inventory.model import Host, MySQL, Site
from cockpit.inventory.reader import NAME_RE, Table, is_absolute_path, is_hostname

# Database names are quoted everywhere they are used, but a name that needs
# quoting on a shell command line (mariadb-dump) is refused outright.
DB_NAME_RE = NAME_RE
# a site's backup: one mariadb-dump file, or a mydumper directory (DB.T-schema.sql, DB.T[.NNNNN].sql[.gz|.zst])
BACKUP_FORMATS = ("mariadb-dump", "mydumper")


def read_mysql(t: Table | None, base: MySQL) -> MySQL:
    if t is None:
        return base
    m = MySQL(
        user=t.text("user", base.user),
        password_env=t.text("password_env", base.password_env, what="an environment variable name"),
        option_file=t.text("option_file", base.option_file),
        port=t.integer("port", base.port, lo=1, hi=65535),
        via=t.choice("via", ("ssh", "direct"), base.via),
        address=t.text("address", base.address),
        check_timeout=t.number("check_timeout", base.check_timeout, positive=True, hi=86400),
        connect_timeout=t.number("connect_timeout", base.connect_timeout, positive=True, hi=600),
        concurrency=t.integer("concurrency", base.concurrency, lo=1, hi=64),
        recheck_interval=t.number("recheck_interval", base.recheck_interval, lo=1),
    )
    t.finish()
    if m.password_env is not None and m.option_file is not None:
        raise InventoryError(t.file, t.key("option_file"),
                             "expected either password_env or option_file, not both")
    return m


def read_site(t: Table, mysql: MySQL, hosts: dict[str, Host]) -> Site:
    name = t.text("name", pattern=NAME_RE, what="a site name (letters, digits, . _ -)")
    host = t.text("host")
    if host not in hosts:
        raise t.error("host", "expected the name of a host in [[hosts]]", host)
    standby = t.text("standby", None)
    if standby is not None and standby not in hosts:
        raise t.error("standby", "expected the name of a host in [[hosts]]", standby)
    if standby == host:
        raise t.error("standby", "expected a host other than the site's own host", standby)
    hostname = t.text("hostname", None, what="a DNS name")
    if hostname is not None and not is_hostname(hostname):
        raise t.error("hostname", "expected a valid DNS name (letters, digits, - and dots)", hostname)
    storage_source = t.text("storage_source", None)
    if storage_source is not None and storage_source not in hosts:
        raise t.error("storage_source", "expected the name of a host in [[hosts]]", storage_source)
    backup_host = t.text("backup_host", None)
    if backup_host is not None and backup_host not in hosts:
        raise t.error("backup_host", "expected the name of a host in [[hosts]]", backup_host)
    storage = t.text("storage", None, what="an absolute path")
    if storage is not None and not is_absolute_path(storage):
        raise t.error("storage", "expected an absolute path", storage)
    backup = t.text("backup", None, what="an absolute path")
    if backup is not None and not is_absolute_path(backup):
        raise t.error("backup", "expected an absolute path", backup)
    backup_format = t.choice("backup_format", BACKUP_FORMATS, BACKUP_FORMATS[0])
    site_mysql = read_mysql(t.table("mysql"), mysql)
    site = Site(
        name=name,
        host=host,
        hostname=hostname,
        standby=standby,
        database=t.text("database", None, pattern=DB_NAME_RE,
                       what="a database name (letters, digits, . _ -)"),
        storage=storage,
        storage_source=storage_source,
        backup=backup,
        backup_host=backup_host,
        backup_format=backup_format,
        mysql=site_mysql,
        maintenance_on=tuple(t.str_list("maintenance_on", [], what="a shell command")),
        maintenance_off=tuple(t.str_list("maintenance_off", [], what="a shell command")),
    )
    t.finish()
    return site


def check_unique_sites(file: str, sites: list[Site]) -> None:
    seen: set[str] = set()
    for i, s in enumerate(sites):
        if s.name in seen:
            raise InventoryError(file, f"sites[{i}].name", "expected a unique site name; it is already used", s.name)
        seen.add(s.name)


def with_database_default(site: Site) -> Site:
    return site if site.database else replace(site, database=site.name)
