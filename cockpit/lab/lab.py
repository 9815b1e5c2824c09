"""The lab as a Python API (used by the CLI, the tests, the demo and the benchmarks).

    lab = Lab("/tmp/my-lab")
    lab.up(FleetSpec.web(3))
    lab.fault("web1", "ro-mount", "/srv")
    lab.exec("web1", ["touch", "/srv/x"]).returncode   # != 0: read-only
    lab.heal()                                           # everything
    lab.down()
"""

from __future__ import annotations

import contextlib
import ipaddress
import subprocess
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from cockpit.lab import build, cgroup, faultops, install, inventory_writer, keys, status, teardown
from cockpit.lab.errors import LabError
from cockpit.lab.host import HostHandle
from cockpit.lab.lock import lab_lock
from cockpit.lab.naming import DEFAULT_DIR
from cockpit.lab.services.base import Service, make
from cockpit.lab.spec import FleetSpec
from cockpit.lab.state import LabState, ProcRef, StateStore

Echo = Callable[[str], None]


def _print(msg: str) -> None:
    print(msg, flush=True)


class Lab:
    def __init__(self, directory: str | Path = DEFAULT_DIR):
        self._dir = Path(directory).absolute()
        self._store: StateStore | None = None

    # -- files -------------------------------------------------------------------------
    @property
    def dir(self) -> Path:
        return self._dir

    @property
    def inventory_path(self) -> Path:
        return self._dir / "inventory.toml"

    @property
    def identity_file(self) -> Path:
        return self._dir / "client" / "id_ed25519"

    @property
    def known_hosts_path(self) -> Path:
        return self._dir / "client" / "known_hosts"

    @property
    def client_key(self) -> keys.KeyPair:
        return keys.read_keypair(self.identity_file)

    @property
    def peer_key(self) -> keys.KeyPair:
        return keys.read_keypair(self._dir / "peer" / "id_ed25519")

    def host_key_path(self, host: str) -> Path:
        return Path(self.state.host(host).hostdir) / "keys" / "ssh_host_ed25519_key"

    def known_hosts_text(self) -> str:
        lines = []
        for h in self.state.hosts.values():
            pub = self.host_key_path(h.name).with_name("ssh_host_ed25519_key.pub")
            lines.append(keys.known_hosts_line([h.name, h.address], pub.read_text().strip()))
        return "\n".join(lines) + "\n"

    # -- state ---------------------------------------------------------------------------
    @property
    def store(self) -> StateStore:
        if self._store is None:
            self._store = StateStore.load(self._dir)
            if self._store is None:
                raise LabError(f"no lab in {self._dir} (run: cockpit lab up --dir {self._dir})")
        return self._store

    @property
    def state(self) -> LabState:
        return self.store.state

    @property
    def network(self) -> ipaddress.IPv4Network:
        return ipaddress.IPv4Network(self.state.subnet)

    def reload(self) -> None:
        self._store = None

    @property
    def hosts(self) -> list[str]:
        return list(self.state.hosts)

    def address(self, host: str) -> str:
        return self.state.host(host).address

    def handle(self, host: str, running: bool = True) -> HostHandle:
        h = HostHandle(self.state.host(host), Path(self.state.cgroup))
        if running:
            h.init_pid  # noqa: B018  (raises LabError if the host is not running)
        return h

    def exec(self, host: str, argv: Sequence[str], *, input: bytes | None = None, timeout: float = 60.0,
             privileged: bool = False) -> subprocess.CompletedProcess[bytes]:
        """Run ``argv`` inside ``host``'s namespaces (to assert the lab's real state)."""
        return self.handle(host).exec(argv, input=input, timeout=timeout, privileged=privileged)

    # -- services ----------------------------------------------------------------------------
    def service(self, host: HostHandle, name: str) -> Service:
        for s in host.state.services:
            if s["name"] == name:
                return make(name, s.get("params"))
        raise LabError(f"{host.name} has no service {name!r}")

    def start_service(self, host: HostHandle, name: str, svc: Service | None = None) -> None:
        svc = svc or self.service(host, name)
        argv = svc.command(self, host)
        if argv is None:
            return
        rec = host.spawn(name, argv)
        with self.store.lock():
            host.state.running[name] = rec
            self.store.save(host.name)
        svc.wait_ready(self, host, build.READY_TIMEOUT)

    def stop_service(self, host: HostHandle, name: str) -> None:
        self.service(host, name).stop(self, host)
        with self.store.lock():
            host.state.running.pop(name, None)
            self.store.save(host.name)

    # -- up / down ---------------------------------------------------------------------------
    def up(self, spec: FleetSpec | None = None, *, echo: Echo = _print, owner: ProcRef | None = None) -> float:
        """Build the fleet (removing a previous lab in the same dir first). Returns seconds taken."""
        spec = spec or FleetSpec.web(3)
        spec.validate()
        install.require_root()
        services = [s for h in spec.hosts for s in h.services]
        install.ensure_packages([*install.BASE_PACKAGES, *[p for s in services for p in s.packages]], echo)
        install.require_tools([t for ts in install.BASE_PACKAGES.values() for t in ts]
                              + [t for s in services for t in s.tools])
        install.require_netns()
        cg_root = cgroup.cgroup2_root()
        with lab_lock(self._dir):
            if StateStore.load(self._dir) is not None:
                echo(f"removing the previous lab in {self._dir}")
                self._down_locked(echo)
            self._dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            self._store = None
            try:
                self._store = StateStore(self._dir, build.new_state(self._dir, spec, cg_root))
                self.state.owner = owner
                return build.build(self, spec, echo)
            except BaseException:
                if self._store is not None:
                    echo("lab up failed; removing what it made")
                self._down_locked(echo)
                raise

    def down(self, *, echo: Echo = _print) -> bool:
        """Remove the lab; False if there was none (nothing to do)."""
        install.require_root()
        if not self._dir.exists():
            return False
        with lab_lock(self._dir):
            existed = StateStore.load(self._dir) is not None
            self._down_locked(echo)
            return existed

    def _down_locked(self, echo: Echo) -> None:
        problems = teardown.down(self._dir, echo)
        self._store = None
        if problems:
            raise LabError(f"lab down left behind: {', '.join(problems)}")

    def write_inventory(self) -> None:
        inventory_writer.write(self.inventory_path, inventory_writer.fleet_data(self), inventory_writer.header(self))

    @contextlib.contextmanager
    def _lock_existing(self) -> Iterator[None]:
        """The lock of a lab that is there, with its state read afresh. Checked before locking: a fault or
        heal sent to a directory with no lab must not leave that directory (and an empty .lock) behind."""
        self.reload()
        _ = self.store  # LabError: no lab in DIR
        with lab_lock(self._dir):
            self.reload()  # another command may have changed it while we waited
            _ = self.store
            yield

    # -- faults ---------------------------------------------------------------------------------
    def fault(self, host: str, kind: str, *args: str) -> str:
        """Inject a fault (see ``cockpit lab faults``); returns a one-line report."""
        install.require_root()
        from cockpit.lab.services.dns_faults import route_site_fault

        with self._lock_existing():
            host, argv = route_site_fault(self, host, kind, list(args))  # lab fault SITE dns-point ADDRESS
            return faultops.inject(self, host, kind, argv)

    def heal(self, host: str | None = None, kind: str | None = None) -> list[str]:
        """Undo active faults, newest first. With no host and no kind: every
        fault, and restart whatever service or router died. Returns what was done."""
        install.require_root()
        from cockpit.lab.services.dns_faults import catch_up

        with self._lock_existing():
            done = faultops.heal(self, host, kind)
            return done + (catch_up(self) if host is None and kind is None else [])  # DNS secondaries, caches

    # -- status --------------------------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        """Hosts, pids and active faults (JSON-able)."""
        self.reload()
        return status.status(self)
