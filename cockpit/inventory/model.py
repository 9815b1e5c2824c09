"""What an inventory file says, after validation. A contract: extend by addition only."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Thresholds:
    """Percent used at which space or inodes become a warning or critical."""

    warning: float = 80.0
    critical: float = 90.0


@dataclass(frozen=True)
class Defaults:
    ssh_user: str | None = None  # None: ~/.ssh/config, then the local user
    ssh_port: int | None = None  # None: ~/.ssh/config, then 22
    identity_file: str | None = None
    known_hosts: str | None = None
    connect_timeout: float = 5.0
    command_timeout: float = 10.0
    refresh: float = 5.0
    thresholds: Thresholds = Thresholds()
    max_output_bytes: int = 8 * 1024 * 1024
    connect_concurrency: int = 32
    probe_concurrency: int = 64  # disk probes in flight at once: a big fleet is swept in waves


@dataclass(frozen=True)
class Host:
    name: str
    address: str
    role: str = "primary"  # primary | standby
    public_ip: str | None = None
    public_ipv6: str | None = None
    ssh_user: str | None = None  # None: ~/.ssh/config or defaults decide
    ssh_port: int | None = None
    identity_file: str | None = None
    known_hosts: str | None = None
    connect_timeout: float = 5.0
    command_timeout: float = 10.0
    mounts: tuple[str, ...] = ()
    thresholds: Thresholds = Thresholds()
    mount_thresholds: tuple[tuple[str, Thresholds], ...] = ()
    groups: tuple[str, ...] = ()
    cron_stop: tuple[str, ...] = ()
    cron_start: tuple[str, ...] = ()

    def thresholds_for(self, mountpoint: str) -> Thresholds:
        for mp, th in self.mount_thresholds:
            if mp == mountpoint:
                return th
        return self.thresholds


@dataclass(frozen=True)
class MySQL:
    user: str = "cockpit"
    password_env: str | None = None
    option_file: str | None = None
    port: int = 3306
    via: str = "ssh"  # ssh | direct
    address: str = "127.0.0.1"
    check_timeout: float = 30.0
    connect_timeout: float = 5.0
    concurrency: int = 2
    recheck_interval: float = 300.0


@dataclass(frozen=True)
class Site:
    name: str
    host: str
    hostname: str | None = None
    standby: str | None = None
    database: str | None = None
    storage: str | None = None
    storage_source: str | None = None
    backup: str | None = None  # the site's mariadb-dump file (or mydumper directory) on backup_host
    backup_host: str | None = None
    backup_format: str = "mariadb-dump"  # or "mydumper": then backup is the dump's directory
    mysql: MySQL = MySQL()
    maintenance_on: tuple[str, ...] = ()
    maintenance_off: tuple[str, ...] = ()


@dataclass(frozen=True)
class NameServer:
    name: str
    address: str
    port: int = 53


@dataclass(frozen=True)
class DnsUpdate:
    server: str
    port: int = 53
    key_name: str = "cockpit-key"
    key_secret_env: str = "COCKPIT_TSIG_SECRET"  # noqa: S105 - the NAME of an env var
    algorithm: str = "hmac-sha256"
    key_file: str | None = None  # a BIND key file (tsig-keygen output); else the secret comes from the env


@dataclass(frozen=True)
class Dns:
    zone: str
    nameservers: tuple[NameServer, ...] = ()
    resolvers: tuple[NameServer, ...] = ()
    timeout: float = 2.0
    concurrency: int = 256
    refresh: float = 10.0
    update: DnsUpdate | None = None
    failover_ttl: int | None = None  # failover-site lowers a longer TTL to this first (None: the TTL is kept)


@dataclass(frozen=True)
class Storage:
    source: str | None = None
    source_root: str = "/backup/storage"
    rsync_args: tuple[str, ...] = ("--partial", "--numeric-ids")
    bwlimit_kbps: int = 0
    stall_seconds: float = 60.0
    delete: bool = False
    state_dir: str = "/var/lib/cockpit/imports"


@dataclass(frozen=True)
class Inventory:
    path: Path
    defaults: Defaults
    hosts: tuple[Host, ...]
    keys: tuple[tuple[str, str], ...] = ()  # binding id -> key(s), from [keys]
    mysql: MySQL = MySQL()
    sites: tuple[Site, ...] = ()
    dns: Dns | None = None
    storage: Storage = Storage()
    audit_file: str | None = None
    state_dir: str | None = None
    ansible_inventory: str | None = None
    extra: dict[str, object] = field(default_factory=dict)

    def host(self, name: str) -> Host:
        for h in self.hosts:
            if h.name == name:
                return h
        raise KeyError(name)

    def site(self, name: str) -> Site:
        for s in self.sites:
            if s.name == name:
                return s
        raise KeyError(name)
