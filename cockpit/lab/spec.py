"""What a lab fleet is made of: hosts, their roles, data mounts and services.

A :class:`FleetSpec` is plain data; :meth:`cockpit.lab.Lab.up` builds it. Later
work adds services to hosts (MariaDB, DNS servers, cron, a backup tree): see
:mod:`cockpit.lab.services.base`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from cockpit.lab.errors import LabError

if TYPE_CHECKING:
    from cockpit.lab.services.base import Service

HOST_NAME_RE = re.compile(r"^[a-z][a-z0-9-]{0,30}$")
ROLES = ("primary", "standby", "backup", "dns", "resolver")


@dataclass(frozen=True)
class DataMount:
    """A loop-mounted ext4 filesystem of the host's own (e.g. ``/srv``).

    ``size_mb`` is the sparse image size: only what is written uses disk.
    """

    mountpoint: str = "/srv"
    size_mb: int = 256


def _default_services() -> tuple[Service, ...]:
    from cockpit.lab.services.sshd import Sshd

    return (Sshd(),)


@dataclass(frozen=True)
class HostSpec:
    """One lab host.

    * ``mounts``: its data filesystems (each a real loop-mounted ext4).
    * ``raid``: give it a per-host ``/proc/mdstat`` view showing ``md0``
      (False: /proc is the host's plain procfs and there is "no RAID").
    * ``root_size_mb``: the tmpfs holding the host's private root overlay layer.
    * ``pid_max``: the host's own PID namespace limit (each PID has a /proc
      entry in the mdstat-capable /proc view, so keep it modest).
    * ``services``: started in order after the host boots; sshd is the first.
    """

    name: str
    role: str = "primary"
    mounts: tuple[DataMount, ...] = (DataMount(),)
    raid: bool = True
    root_size_mb: int = 256
    pid_max: int = 1024
    public_ip: str | None = None
    services: tuple[Service, ...] = field(default_factory=_default_services)

    def validate(self) -> None:
        if not HOST_NAME_RE.match(self.name):
            raise LabError(f"lab host name {self.name!r}: expected lowercase letters, digits and '-' "
                           "(starting with a letter, at most 31 characters)")
        if self.role not in ROLES:
            raise LabError(f"lab host {self.name}: role {self.role!r} is not one of {', '.join(ROLES)}")
        seen: set[str] = set()
        for m in self.mounts:
            mp = m.mountpoint
            if not mp.startswith("/") or mp == "/" or ".." in mp.split("/") or "//" in mp or mp.endswith("/"):
                raise LabError(f"lab host {self.name}: data mount {mp!r} must be an absolute path below /")
            if mp.split("/")[1] in ("proc", "sys", "dev", "run", "tmp"):
                raise LabError(f"lab host {self.name}: data mount {mp!r} would hide a system directory")
            if mp in seen:
                raise LabError(f"lab host {self.name}: data mount {mp!r} is listed twice")
            if m.size_mb < 8:
                raise LabError(f"lab host {self.name}: data mount {mp!r} needs at least 8 MB")
            seen.add(mp)
        if not 301 <= self.pid_max <= 4194304:
            raise LabError(f"lab host {self.name}: pid_max must be between 301 and 4194304")
        names = [s.name for s in self.services]
        if len(names) != len(set(names)):
            raise LabError(f"lab host {self.name}: a service is listed twice")


@dataclass(frozen=True)
class FleetSpec:
    """The whole fleet; ``subnet`` (e.g. ``198.18.7.0/24``) is derived from the lab dir when None."""

    hosts: tuple[HostSpec, ...]
    subnet: str | None = None

    @classmethod
    def web(cls, n: int, subnet: str | None = None, data_size_mb: int = 256, light: bool = False,
            sites_per_host: int = 0) -> FleetSpec:
        """``web1..webN``, all primaries, each with a ``/srv`` data mount.

        ``light``: for scale runs, hosts with only sshd: no data mount, no RAID
        view (plain procfs), a small root layer.
        ``sites_per_host``: each host also runs MariaDB serving that many sites
        (see :func:`cockpit.lab.services.mariadb.lab_site_names`).
        """
        if n < 1:
            raise LabError("a lab needs at least one host (--hosts N with N >= 1)")
        if light:
            return cls(tuple(HostSpec(f"web{i}", mounts=(), raid=False, root_size_mb=32) for i in range(1, n + 1)),
                       subnet=subnet)
        if sites_per_host > 0:
            from cockpit.lab.services.mariadb import with_sites

            return cls(tuple(HostSpec(f"web{i}", mounts=(DataMount("/srv", data_size_mb),),
                                      services=with_sites(i, sites_per_host)) for i in range(1, n + 1)), subnet=subnet)
        return cls(tuple(HostSpec(f"web{i}", mounts=(DataMount("/srv", data_size_mb),)) for i in range(1, n + 1)),
                   subnet=subnet)

    def validate(self) -> None:
        if not self.hosts:
            raise LabError("a lab needs at least one host")
        seen: set[str] = set()
        for h in self.hosts:
            h.validate()
            if h.name in seen:
                raise LabError(f"lab host name {h.name!r} is used twice")
            seen.add(h.name)
