"""The lab's state file (``DIR/lab-state.json``): what was created, written
incrementally BEFORE or right after each thing is made, so ``lab down`` can
remove everything even after a crash or a half-finished ``up``.

Written atomically (temp file + rename) under an in-process lock; the
cross-process lock is ``DIR/.lock`` (see :mod:`cockpit.lab.lock`). There is no
fsync: the crash this guards against is the lab process dying (the page cache
survives it); a machine crash takes every namespace and process with it, and
``lab down`` then only has files and loop backing files to clean up. The file
is saved several times per host, so it must stay cheap at 1,000 hosts.
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

STATE_FILE = "lab-state.json"
VERSION = 1


@dataclass
class ProcRef:
    """A process: its pid and its start time (clock ticks since boot), so a
    reused pid is never mistaken for ours."""

    pid: int
    start: int


@dataclass
class LoopRec:
    mountpoint: str
    image: str
    size_mb: int
    device: str | None = None  # /dev/loopN once attached


@dataclass
class ServiceRec:
    cgroup: str
    pid: ProcRef | None = None  # the service's main process (outer pid)
    launcher: ProcRef | None = None  # nsenter that started it


@dataclass
class HostState:
    name: str
    index: int
    role: str
    address: str
    public_ip: str | None
    netns: str
    veth: str
    peer: str
    hostdir: str
    raid: bool
    cgroup: str
    services: list[dict[str, Any]] = field(default_factory=list)  # [{"name": ..., "params": {...}}]
    loops: list[LoopRec] = field(default_factory=list)
    launcher: ProcRef | None = None  # unshare
    init: ProcRef | None = None  # PID 1 of the host's PID namespace
    running: dict[str, ServiceRec] = field(default_factory=dict)

    def owned_mounts(self) -> list[str]:
        return ["/", *[lp.mountpoint for lp in self.loops]]

    def loop_for(self, mountpoint: str) -> LoopRec | None:
        for lp in self.loops:
            if lp.mountpoint == mountpoint:
                return lp
        return None


@dataclass
class FaultRec:
    host: str
    kind: str
    args: list[str]
    data: dict[str, Any] = field(default_factory=dict)
    at: float = field(default_factory=time.time)


@dataclass
class LabState:
    dir: str
    lab_id: str
    subnet: str
    gateway: str
    bridge: str
    cgroup: str
    status: str = "building"  # building | up | down
    created_at: float = field(default_factory=time.time)
    bridge_created: bool = False
    klogd: ProcRef | None = None
    owner: ProcRef | None = None  # the process that owns a test lab (dead owner: stale)
    hosts: dict[str, HostState] = field(default_factory=dict)
    faults: list[FaultRec] = field(default_factory=list)
    version: int = VERSION

    def host(self, name: str) -> HostState:
        from cockpit.lab.errors import LabError

        try:
            return self.hosts[name]
        except KeyError:
            known = ", ".join(self.hosts) or "none"
            raise LabError(f"unknown lab host {name!r} (hosts: {known})") from None


def _proc(d: Any) -> ProcRef | None:
    return None if d is None else ProcRef(int(d["pid"]), int(d["start"]))


def _host(d: dict[str, Any]) -> HostState:
    h = HostState(**{k: v for k, v in d.items() if k not in ("loops", "launcher", "init", "running")})
    h.loops = [LoopRec(**x) for x in d.get("loops", [])]
    h.launcher = _proc(d.get("launcher"))
    h.init = _proc(d.get("init"))
    h.running = {k: ServiceRec(cgroup=v["cgroup"], pid=_proc(v.get("pid")), launcher=_proc(v.get("launcher")))
                 for k, v in d.get("running", {}).items()}
    return h


def from_dict(d: dict[str, Any]) -> LabState:
    s = LabState(**{k: v for k, v in d.items() if k not in ("hosts", "faults", "klogd", "owner")})
    s.klogd = _proc(d.get("klogd"))
    s.owner = _proc(d.get("owner"))
    s.hosts = {k: _host(v) for k, v in d.get("hosts", {}).items()}
    s.faults = [FaultRec(**f) for f in d.get("faults", [])]
    return s


class StateStore:
    """Holds the state in memory and persists every change at once."""

    def __init__(self, lab_dir: Path, state: LabState):
        self.path = lab_dir / STATE_FILE
        self.state = state
        self._lock = threading.RLock()
        self._hosts_json: dict[str, str] = {}  # each host's part, re-encoded only when it changed

    @classmethod
    def load(cls, lab_dir: Path) -> StateStore | None:
        path = lab_dir / STATE_FILE
        try:
            raw = json.loads(path.read_text())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as e:
            from cockpit.lab.errors import LabError

            raise LabError(f"cannot read the lab state {path}: {e}") from None
        return cls(lab_dir, from_dict(raw))

    def lock(self) -> threading.RLock:
        return self._lock

    def save(self, *hosts: str) -> None:
        """Persist the state. ``hosts``: only these hosts changed (cheap at 1,000
        hosts); without it, everything is encoded again."""
        with self._lock:
            st = self.state
            changed = hosts or tuple(st.hosts)
            for name in changed:
                self._hosts_json[name] = json.dumps(asdict(st.hosts[name]), separators=(",", ":"))
            for name in [n for n in self._hosts_json if n not in st.hosts]:
                del self._hosts_json[name]
            top = json.dumps(asdict(replace(st, hosts={})), separators=(",", ":"))
            parts = ",".join(f"{json.dumps(n)}:{self._hosts_json.get(n) or json.dumps(asdict(h))}"
                             for n, h in st.hosts.items())
            data = top.replace('"hosts":{}', '"hosts":{' + parts + "}", 1).encode()
            tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
            finally:
                os.close(fd)
            os.replace(tmp, self.path)

    def remove(self) -> None:
        with self._lock:
            self.path.unlink(missing_ok=True)
