"""A handle on one lab host: its files, its namespaces and its processes.

Services and faults use it to reach inside a host:

* ``seed(path)``: before boot, the file that will appear at ``path`` in the
  host's own root (copied in by the host's init);
* ``path(path)``: after boot, that path as seen from the machine through
  ``/proc/<init>/root`` (inside the host's mount namespace);
* ``exec(argv)``: run a command in all of the host's namespaces;
* ``spawn(name, argv)``: start a long-lived service process, in its own cgroup.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cockpit.lab import cgroup, procs
from cockpit.lab.errors import LabError
from cockpit.lab.state import HostState, ServiceRec

# Dropped from the bounding set of every process on a lab host: hosts cannot
# read the shared kernel log, nor mount/remount anything (a `mount -o
# remount,ro /dev` on a host would otherwise change the machine's superblock),
# nor load modules or set the clock.
DROPPED_CAPS = ("sys_admin", "syslog", "sys_module", "sys_time", "sys_boot")


@dataclass
class HostHandle:
    state: HostState
    cgroup_root: Path  # the lab's cgroup directory

    @property
    def name(self) -> str:
        return self.state.name

    @property
    def address(self) -> str:
        return self.state.address

    @property
    def dir(self) -> Path:
        return Path(self.state.hostdir)

    @property
    def init_pid(self) -> int:
        if not procs.alive(self.state.init):
            raise LabError(f"lab host {self.name} is not running (its init process is gone; run lab up again)")
        assert self.state.init is not None
        return self.state.init.pid

    def seed(self, path: str) -> Path:
        p = self.dir / "seed" / path.lstrip("/")
        p.parent.mkdir(parents=True, exist_ok=True)
        return p

    def root(self) -> Path:
        return Path(f"/proc/{self.init_pid}/root")

    def path(self, path: str) -> Path:
        return self.root() / path.lstrip("/")

    def cgroup(self, part: str) -> Path:
        return self.cgroup_root / self.name / part

    def nsenter(self, privileged: bool = False) -> list[str]:
        argv = ["nsenter", "--target", str(self.init_pid), "--mount", "--uts", "--net", "--pid",
                "--root", "--wd", "--"]
        if not privileged:
            argv += ["setpriv", "--bounding-set", ",".join(f"-{c}" for c in DROPPED_CAPS), "--"]
        return argv

    def exec(self, argv: Sequence[str], *, input: bytes | None = None, timeout: float = 60.0,
             privileged: bool = False, check: bool = False) -> subprocess.CompletedProcess[bytes]:
        """Run ``argv`` inside the host, as its own processes run (``privileged``:
        with all of root's capabilities, for the lab's own mount operations)."""
        cmd = [*self.nsenter(privileged), *argv]
        try:
            p = subprocess.run(cmd, input=input, capture_output=True, timeout=timeout, check=False,
                               env=procs.SERVICE_ENV)
        except subprocess.TimeoutExpired:
            raise LabError(f"{self.name}: {' '.join(argv)} did not finish in {timeout:g} s") from None
        if check and p.returncode != 0:
            err = p.stderr.decode(errors="replace").strip().splitlines()
            raise LabError(f"{self.name}: {' '.join(argv)} failed ({p.returncode}): "
                           f"{err[-1] if err else 'no message'}")
        return p

    # -- long-lived service processes ---------------------------------------------
    def spawn(self, service: str, argv: Sequence[str]) -> ServiceRec:
        cg = self.cgroup(f"svc-{service}")
        cgroup.create(cg)
        old = self.state.running.get(service)
        if old is not None and procs.alive(old.pid):
            raise LabError(f"{self.name}: service {service} is already running")
        log = self.dir / f"{service}.out"
        launcher = procs.spawn([*self.nsenter(), *argv], log, cg / "cgroup.procs")
        rec = ServiceRec(cgroup=str(cg), launcher=launcher)

        def started() -> bool:
            for pid in cgroup.procs_of(cg):
                if procs.ppid(pid) == launcher.pid:
                    rec.pid = procs.ref(pid)
                    return rec.pid is not None
            return not procs.alive(launcher)

        procs.wait_until(started, 10.0)
        if rec.pid is None:
            raise LabError(f"{self.name}: {service} did not start: {procs.tail(log) or 'no output'}")
        return rec

    def pids(self) -> list[int]:
        """Every process on this host (outer pids): its init, services, and all
        that sessions started (e.g. to find a host's rsync for a kill-rsync fault)."""
        return cgroup.procs_of(self.cgroup_root / self.name)

    def service_pids(self, service: str) -> list[int]:
        return cgroup.procs_of(self.cgroup(f"svc-{service}"))

    def kill_service(self, service: str) -> None:
        cg = self.cgroup(f"svc-{service}")
        if not cgroup.kill(cg):
            raise LabError(f"{self.name}: {service} processes did not exit")
