"""The extension point for what runs on lab hosts.

A :class:`Service` is a small frozen dataclass; a host lists its services in
:class:`cockpit.lab.spec.HostSpec`. For each host the lab calls, in order:

1. ``prepare(lab, host)`` before the host boots: write files into the host's
   own root with ``host.seed("/etc/...")`` (copied in at boot);
2. ``setup(lab, host)`` once the host runs, before the service starts (e.g.
   ``host.exec(["mariadb-install-db", ...], privileged=True)``);
3. ``command(lab, host)``: the argv of the long-lived process, run inside all
   of the host's namespaces, in the foreground (the lab detaches it, records
   its pid and puts it in its own cgroup); None if nothing runs;
4. ``wait_ready(lab, host, timeout)``: block until it serves (raise LabError).

``stop`` kills the service's cgroup (every process it started). ``faults()``
adds fault kinds (``cockpit lab fault HOST KIND``). ``host_inventory`` and
``fleet_inventory`` add keys to the generated ``inventory.toml``.
``mounts_used`` names the data mounts the service keeps files open on: the
lab stops and restarts the service around repairing such a mount.

To add one: subclass, decorate with ``@register``, import the module in
:mod:`cockpit.lab.services` and add its ``packages`` (apt) and ``tools``.
Parameters must be dataclass fields of JSON-able values: they are stored in
the lab state so another ``cockpit lab`` process can rebuild the service.
A sketch::

    @register
    @dataclasses.dataclass(frozen=True)
    class MariaDB(Service):
        name = "mariadb"
        packages = ("mariadb-server",)
        tools = ("/usr/sbin/mariadbd",)
        mounts_used = ("/srv",)
        databases: tuple[str, ...] = ()

        def prepare(self, lab, host):
            host.seed("/etc/mysql/lab.cnf").write_text(CNF)  # datadir=/srv/mysql, 127.0.0.1:3306
        def setup(self, lab, host):
            host.exec(["mariadb-install-db", "--defaults-file=/etc/mysql/lab.cnf"], privileged=True, check=True)
        def command(self, lab, host):
            return ["/usr/sbin/mariadbd", "--defaults-file=/etc/mysql/lab.cnf"]
        def faults(self):
            return (FaultKind("hang-mysql", "", "SIGSTOP mariadbd", _stop, _cont),)
        def fleet_inventory(self, lab):
            return {"mysql": {"user": "cockpit", "password_env": "COCKPIT_MYSQL_PASSWORD"}}

    HostSpec("web1", services=(Sshd(), MariaDB(databases=("acme",))))

Inside a host: its own loopback (127.0.0.1 is the host's own), /run and
/tmp (tmpfs), / (its own overlay: write /etc, /var freely), data mounts
from ``HostSpec.mounts``. ``host.path(p)`` reaches a running host's files from
the machine; ``host.state.running[name].pid`` is a service's outer pid.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from cockpit.lab.errors import LabError

if TYPE_CHECKING:
    from cockpit.lab.faultkind import FaultKind
    from cockpit.lab.host import HostHandle
    from cockpit.lab.keys import KeyPair
    from cockpit.lab.state import LabState, StateStore


class LabContext(Protocol):
    """What services and faults may use of the lab (implemented by ``Lab``)."""

    @property
    def dir(self) -> Path: ...

    @property
    def store(self) -> StateStore: ...

    @property
    def state(self) -> LabState: ...

    @property
    def client_key(self) -> KeyPair: ...

    @property
    def peer_key(self) -> KeyPair: ...

    def handle(self, host: str) -> HostHandle: ...

    def host_key_path(self, host: str) -> Path: ...

    def known_hosts_text(self) -> str: ...

    def start_service(self, host: HostHandle, name: str) -> None: ...

    def stop_service(self, host: HostHandle, name: str) -> None: ...


@dataclasses.dataclass(frozen=True)
class Service:
    name: ClassVar[str] = ""
    packages: ClassVar[tuple[str, ...]] = ()
    tools: ClassVar[tuple[str, ...]] = ()
    mounts_used: ClassVar[tuple[str, ...]] = ()

    def prepare(self, lab: LabContext, host: HostHandle) -> None:
        """Before boot: write the host's files with ``host.seed(path)``."""

    def setup(self, lab: LabContext, host: HostHandle) -> None:
        """After boot, before the service starts."""

    def command(self, lab: LabContext, host: HostHandle) -> list[str] | None:
        return None

    def wait_ready(self, lab: LabContext, host: HostHandle, timeout: float) -> None:
        """Block until the service answers; raise LabError if it does not."""

    def stop(self, lab: LabContext, host: HostHandle) -> None:
        host.kill_service(self.name)

    def faults(self) -> tuple[FaultKind, ...]:
        return ()

    def host_inventory(self, lab: LabContext, host: HostHandle) -> dict[str, Any]:
        return {}

    def fleet_inventory(self, lab: LabContext) -> dict[str, Any]:
        return {}

    def params(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


_REGISTRY: dict[str, type[Service]] = {}


def register(cls: type[Service]) -> type[Service]:
    if not cls.name:
        raise TypeError(f"{cls.__name__} has no name")
    _REGISTRY[cls.name] = cls
    return cls


def make(name: str, params: dict[str, Any] | None = None) -> Service:
    import cockpit.lab.services  # noqa: F401  (registers the built-in services)

    try:
        cls = _REGISTRY[name]
    except KeyError:
        raise LabError(f"unknown lab service {name!r} (known: {', '.join(sorted(_REGISTRY))})") from None
    return cls(**(params or {}))


def registered() -> dict[str, type[Service]]:
    import cockpit.lab.services  # noqa: F401

    return dict(_REGISTRY)
