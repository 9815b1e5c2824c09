"""Equal CPU quotas for a lab's hosts: each host behaves as its own machine of a
given speed (``cores`` CPUs' worth of time), not as one more tenant of the
machine the benchmark and the cockpit run on.

* cgroup v2 with the ``cpu`` controller available: ``cpu.max`` on each host's
  own cgroup (``cockpit-lab-<id>/<host>``, which already holds everything the
  host runs), after ``+cpu`` in the lab cgroup's ``subtree_control``;
* otherwise (a hybrid hierarchy, where ``cpu`` is bound to the v1 ``cpu``
  mount, as on the shared build machine): a v1 group per host under
  ``<v1 cpu mount>/cockpit-bench-quota-<pid>/<host>`` with ``cfs_quota_us``,
  and every process of the host moved into it (what the host forks later, an
  sshd session, a mysqld thread, stays in it).

What runs outside the hosts (the cockpit, the mariadb-check client started
through nsenter by the benchmark) is not capped. :func:`host_quotas` undoes it
all on exit (processes back to their v1 group, groups removed; v2 ``cpu.max``
back to ``max``).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from cockpit.lab import Lab
from cockpit.lab.cgroup import cgroup2_root

PERIOD_US = 100_000


def _v1_cpu_mount() -> Path | None:
    for line in Path("/proc/self/mounts").read_text().splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[2] == "cgroup" and "cpu" in parts[3].split(","):
            return Path(parts[1])
    return None


def _v1_group_of(pid: int) -> str | None:
    """The pid's group in the v1 hierarchy that has ``cpu`` (relative to its mount)."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/cgroup").read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            if "cpu" in controllers.split(","):
                return path
    return None


def _v2_cpu_usable(lab_cgroup: Path) -> bool:
    """``cpu`` enabled (or enabled now) for the hosts' cgroups in the unified hierarchy."""
    if "cpu" not in (lab_cgroup / "cgroup.controllers").read_text().split():
        return False
    if "cpu" not in (lab_cgroup / "cgroup.subtree_control").read_text().split():
        try:
            (lab_cgroup / "cgroup.subtree_control").write_text("+cpu")
        except OSError:
            return False
    return True


@contextlib.contextmanager
def host_quotas(lab: Lab, cores: float) -> Iterator[str]:
    """Cap every host of ``lab`` at ``cores`` CPUs; yields how (for the report)."""
    quota = max(1000, int(cores * PERIOD_US))
    lab_cgroup = Path(lab.state.cgroup)
    if _v2_cpu_usable(lab_cgroup):
        hosts = [lab_cgroup / h for h in lab.hosts]
        try:
            for h in hosts:
                (h / "cpu.max").write_text(f"{quota} {PERIOD_US}")
            yield f"cgroup v2 cpu.max {quota} {PERIOD_US} on each host's cgroup"
        finally:
            for h in hosts:
                with contextlib.suppress(OSError):
                    (h / "cpu.max").write_text(f"max {PERIOD_US}")
        return
    mount = _v1_cpu_mount()
    if mount is None:
        raise SystemExit(f"no CPU controller: neither cgroup v2 'cpu' under {cgroup2_root()} nor a v1 cpu mount")
    top = mount / f"cockpit-bench-quota-{os.getpid()}"
    origin: dict[int, str] = {}
    try:
        top.mkdir()
        for name in lab.hosts:
            group = top / name
            group.mkdir()
            (group / "cpu.cfs_period_us").write_text(str(PERIOD_US))
            (group / "cpu.cfs_quota_us").write_text(str(quota))
            handle = lab.handle(name)
            for _ in range(3):  # again for what forked while the first pass moved its parent
                moved = 0
                for pid in handle.pids():
                    if pid in origin:
                        continue
                    was = _v1_group_of(pid)
                    with contextlib.suppress(ProcessLookupError, OSError):
                        (group / "cgroup.procs").write_text(str(pid))
                        origin[pid] = was or "/"
                        moved += 1
                if not moved:
                    break
        yield f"cgroup v1 cpu.cfs_quota_us {quota} per {PERIOD_US} us ({mount}; no v2 cpu controller here)"
    finally:
        for pid, was in origin.items():
            with contextlib.suppress(OSError):
                (mount / was.lstrip("/") / "cgroup.procs").write_text(str(pid))
        for name in lab.hosts:
            _drain_and_remove(top / name, mount)
        with contextlib.suppress(OSError):
            top.rmdir()


def _drain_and_remove(group: Path, mount: Path) -> None:
    """Whatever the host forked meanwhile goes back to the root group; then the group is removed."""
    if not group.exists():
        return
    for _ in range(3):
        with contextlib.suppress(OSError):
            for pid in (group / "cgroup.procs").read_text().split():
                with contextlib.suppress(OSError):
                    (mount / "cgroup.procs").write_text(pid)
        with contextlib.suppress(OSError):
            group.rmdir()
            return
