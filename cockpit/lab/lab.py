"""The lab as a Python API (used by the CLI, the tests, the demo and the benchmarks).

    lab = Lab("/tmp/my-lab")
    lab.up(FleetSpec.web(3))
    lab.fault("web1", "ro-mount", "/srv")
    lab.exec("web1", ["touch", "/srv/x"]).returncode   # != 0: read-only
    lab.heal()                                           # everything
    lab.down()
"""

from __future__ import annotations

import ipaddress
import subprocess
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from cockpit.lab import build, cgroup, faults, install, inventory_writer, keys, netns, procs, teardown
from cockpit.lab.errors import LabError
from cockpit.lab.host import HostHandle
from cockpit.lab.lock import lab_lock
from cockpit.lab.naming import DEFAULT_DIR
from cockpit.lab.services.base import Service, make
from cockpit.lab.spec import FleetSpec
from cockpit.lab.state import FaultRec, LabState, ProcRef, StateStore

Echo = Callable[[str], None]


def _print(msg: str) -> None:
    print(msg, flush=True)


def _merge(into: dict[str, Any], add: dict[str, Any]) -> None:
    for k, v in add.items():
        if isinstance(v, dict) and isinstance(into.get(k), dict):
            _merge(into[k], v)
        elif isinstance(v, list) and isinstance(into.get(k), list):
            into[k] += [x for x in v if x not in into[k]]
        else:
            into[k] = v


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
            self._store = StateStore(self._dir, build.new_state(self._dir, spec, cg_root))
            self.state.owner = owner
            try:
                return build.build(self, spec, echo)
            except BaseException:
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
        data: dict[str, Any] = {
            "defaults": {"ssh_user": "root", "ssh_port": 22, "identity_file": str(self.identity_file),
                         "known_hosts": str(self.known_hosts_path), "connect_timeout": 5, "command_timeout": 10},
            "hosts": [],
        }
        extra: dict[str, Any] = {}
        for h in self.state.hosts.values():
            entry: dict[str, Any] = {"name": h.name, "address": h.address, "role": h.role}
            if h.public_ip:
                entry["public_ip"] = h.public_ip
            entry["mounts"] = h.owned_mounts()
            handle = self.handle(h.name, running=False)
            for s in faults.host_services(handle):
                _merge(entry, s.host_inventory(self, handle))
                _merge(extra, s.fleet_inventory(self))
            data["hosts"].append(entry)
        _merge(data, extra)
        header = (f"cockpit lab fleet in {self._dir} ({self.state.subnet}); written by `cockpit lab up`.\n"
                  "public_ip values are documentation addresses: nothing is ever sent to them.")
        inventory_writer.write(self.inventory_path, data, header)

    # -- faults ---------------------------------------------------------------------------------
    def fault(self, host: str, kind: str, *args: str) -> str:
        install.require_root()
        with lab_lock(self._dir):
            self.reload()
            h = self.handle(host)
            kinds = faults.kinds_for(h)
            fk = kinds.get(kind)
            if fk is None:
                raise LabError(f"unknown fault {kind!r} for {host} (known: {', '.join(sorted(kinds))})")
            argv = list(args)
            if not fk.min_args <= len(argv) <= fk.max_args:
                usage = f"{kind} {fk.usage}".strip()
                raise LabError(f"fault {kind} takes {fk.usage or 'no arguments'} (usage: lab fault {host} {usage})")
            key = fk.slot_key(argv)
            for old in [f for f in self.state.faults if f.host == host]:
                ok = kinds.get(old.kind)
                if ok is not None and ok.slot_key(old.args) == key:
                    if old.kind == kind and old.args == argv:
                        return f"{host}: {kind} is already active"
                    self._heal_one(old)
            rec = FaultRec(host=host, kind=kind, args=argv)
            with self.store.lock():
                self.state.faults.append(rec)
                self.store.save()
            try:
                data = fk.apply(self, h, argv)
            except BaseException:
                self._heal_one(rec, quiet=True)
                raise
            with self.store.lock():
                rec.data = data
                self.store.save()
            return f"{host}: {kind} {' '.join(argv)}".rstrip()

    def heal(self, host: str | None = None, kind: str | None = None) -> list[str]:
        """Undo active faults (all of them when no host/kind is given), newest first."""
        install.require_root()
        with lab_lock(self._dir):
            self.reload()
            if host is not None:
                self.state.host(host)
            todo = [f for f in reversed(self.state.faults)
                    if (host is None or f.host == host) and (kind is None or f.kind == kind)]
            done: list[str] = []
            errors: list[str] = []
            for rec in todo:
                try:
                    self._heal_one(rec)
                    done.append(f"{rec.host}: healed {rec.kind} {' '.join(rec.args)}".rstrip())
                except LabError as e:
                    errors.append(f"{rec.host} {rec.kind}: {e}")
            if host is None and kind is None:
                done += self._restart_dead_services()
            if errors:
                raise LabError("heal failed: " + "; ".join(errors))
            return done

    def _heal_one(self, rec: FaultRec, quiet: bool = False) -> None:
        try:
            h = self.handle(rec.host)
            fk = faults.kinds_for(h).get(rec.kind)
            if fk is not None:
                fk.heal(self, h, rec)
        except LabError:
            if not quiet:
                raise
        with self.store.lock():
            if rec in self.state.faults:
                self.state.faults.remove(rec)
            self.store.save()

    def _restart_dead_services(self) -> list[str]:
        out: list[str] = []
        if not procs.alive(self.state.klogd):
            build.start_klogd(self)
            build.wait_klogd(self)
            out.append("restarted the kernel log router")
        for name in self.state.hosts:
            h = self.handle(name)
            for s in faults.host_services(h):
                rec = h.state.running.get(s.name)
                if s.command(self, h) is not None and (rec is None or not procs.alive(rec.pid)):
                    s.stop(self, h)
                    self.start_service(h, s.name, s)
                    out.append(f"{name}: restarted {s.name}")
        return out

    # -- status --------------------------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        self.reload()
        st = self.state
        hosts = []
        for h in st.hosts.values():
            hosts.append({
                "name": h.name, "address": h.address, "role": h.role, "netns": h.netns,
                "init": h.init.pid if h.init else None, "running": procs.alive(h.init),
                "link": "up" if netns.link_is_up(h.veth) else "down",
                "services": {k: {"pid": v.pid.pid if v.pid else None, "running": procs.alive(v.pid)}
                             for k, v in h.running.items()},
                "mounts": {lp.mountpoint: lp.device for lp in h.loops},
            })
        return {
            "dir": st.dir, "status": st.status, "subnet": st.subnet, "bridge": st.bridge,
            "klogd": {"pid": st.klogd.pid if st.klogd else None, "running": procs.alive(st.klogd)},
            "inventory": str(self.inventory_path), "hosts": hosts,
            "faults": [{"host": f.host, "kind": f.kind, "args": f.args} for f in st.faults],
            "owner": st.owner.pid if st.owner else None,
        }
