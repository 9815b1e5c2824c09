"""The ``[defaults]`` and ``[[hosts]]`` sections."""

from __future__ import annotations

from cockpit.inventory.errors import InventoryError
from cockpit.inventory.model import Defaults, Host, Thresholds
from cockpit.inventory.reader import NAME_RE, Table, is_absolute_path, is_hostname

ROLES = ("primary", "standby", "backup", "dns", "resolver")


def read_thresholds(t: Table, base: Thresholds) -> Thresholds:
    warning = t.number("space_warning", base.warning, lo=0, hi=100)
    critical = t.number("space_critical", base.critical, lo=0, hi=100)
    if warning > critical:
        raise t.error("space_warning", f"expected at most space_critical ({critical:g})", warning)
    return Thresholds(warning=warning, critical=critical)


def read_defaults(t: Table | None) -> Defaults:
    if t is None:
        return Defaults()
    d = Defaults(
        ssh_user=t.text("ssh_user", None),
        ssh_port=t.integer("ssh_port", None, lo=1, hi=65535),
        identity_file=t.text("identity_file", None),
        known_hosts=t.text("known_hosts", None),
        connect_timeout=t.number("connect_timeout", 5.0, positive=True, hi=600),
        command_timeout=t.number("command_timeout", 10.0, positive=True, hi=3600),
        refresh=t.number("refresh", 5.0, lo=0.5, hi=3600),
        thresholds=read_thresholds(t, Thresholds()),
        max_output_bytes=t.integer("max_output_bytes", 8 * 1024 * 1024, lo=4096),
        connect_concurrency=t.integer("connect_concurrency", 32, lo=1, hi=4096),
        probe_concurrency=t.integer("probe_concurrency", 64, lo=1, hi=4096),
    )
    t.finish()
    return d


def read_host(t: Table, d: Defaults) -> Host:
    name = t.text("name", pattern=NAME_RE, what="a host name (letters, digits, . _ -)")
    address = t.text("address", what="a host name or IP address")
    if not is_hostname(address):
        try:
            import ipaddress

            ipaddress.ip_address(address)
        except ValueError:
            raise t.error("address", "expected a host name or IP address", address) from None
    mounts = t.str_list("mounts", [], what="an absolute mount point", check=is_absolute_path)
    thresholds = read_thresholds(t, d.thresholds)
    per_mount: list[tuple[str, Thresholds]] = []
    mt = t.table("mount_thresholds")
    if mt is not None:
        for mp in list(mt.data):
            if not is_absolute_path(mp):
                raise mt.error(mp, "expected an absolute mount point as the key")
            sub = mt.table(mp, required=True)
            assert sub is not None
            per_mount.append((mp, read_thresholds(sub, thresholds)))
            sub.finish()
        mt.finish()
    host = Host(
        name=name,
        address=address,
        role=t.choice("role", ROLES, "primary"),
        public_ip=t.ip("public_ip", None, version=4),
        public_ipv6=t.ip("public_ipv6", None, version=6),
        ssh_user=t.text("ssh_user", d.ssh_user),
        ssh_port=t.integer("ssh_port", d.ssh_port, lo=1, hi=65535),
        identity_file=t.text("identity_file", d.identity_file),
        known_hosts=t.text("known_hosts", d.known_hosts),
        connect_timeout=t.number("connect_timeout", d.connect_timeout, positive=True, hi=600),
        command_timeout=t.number("command_timeout", d.command_timeout, positive=True, hi=3600),
        mounts=tuple(mounts),
        thresholds=thresholds,
        mount_thresholds=tuple(per_mount),
        groups=tuple(t.str_list("groups", [])),
        cron_stop=tuple(t.str_list("cron_stop", [], what="a shell command")),
        cron_start=tuple(t.str_list("cron_start", [], what="a shell command")),
    )
    t.finish()
    return host


def check_unique_hosts(file: str, hosts: list[Host]) -> None:
    seen: set[str] = set()
    for i, h in enumerate(hosts):
        if h.name in seen:
            raise InventoryError(file, f"hosts[{i}].name", "expected a unique host name; it is already used", h.name)
        seen.add(h.name)
