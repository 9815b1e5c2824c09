"""cgroup v2 bookkeeping: every process the lab starts lives in the lab's own
cgroup (``cockpit-lab-<id>/<host>/<part>``), so teardown kills exactly the
lab's processes (``cgroup.kill``) even after a crash that lost their pids."""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

from cockpit.lab import procs
from cockpit.lab.errors import LabError
from cockpit.lab.procs import wait_until


def cgroup2_root() -> Path:
    try:
        mounts = Path("/proc/self/mounts").read_text().splitlines()
    except OSError:
        mounts = []
    for line in mounts:
        parts = line.split()
        if len(parts) >= 3 and parts[2] == "cgroup2":
            root = Path(parts[1].replace("\\040", " "))
            if (root / "cgroup.procs").exists():
                return root
    raise LabError("the lab needs cgroup v2 (no cgroup2 filesystem is mounted)")


def create(path: Path) -> None:
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise LabError(f"cannot create cgroup {path}: {e.strerror}") from None


def procs_of(path: Path) -> list[int]:
    """Every pid in this cgroup and below."""
    pids: list[int] = []
    if not path.is_dir():
        return pids
    for dirpath, _dirs, _files in os.walk(path):
        with contextlib.suppress(OSError):
            pids.extend(int(x) for x in Path(dirpath, "cgroup.procs").read_text().split())
    return pids


def populated(path: Path) -> bool:
    try:
        for line in (path / "cgroup.events").read_text().splitlines():
            if line.startswith("populated "):
                return line.split()[1] == "1"
    except OSError:
        return False
    return bool(procs_of(path))


def kill(path: Path, timeout: float = 10.0) -> bool:
    """SIGKILL everything in the subtree; True once it is empty and every
    process that was in it has finished exiting (a PID namespace's init
    lingers a moment after it has left its cgroup)."""
    if not path.is_dir():
        return True
    refs = [r for r in (procs.ref(p) for p in procs_of(path)) if r is not None]
    _kill_now(path)

    def gone() -> bool:
        if populated(path):
            # a process that joined after the kill (a launcher of a `lab up` killed mid-build moves
            # its child in once it runs): killed too
            refs.extend(r for r in (procs.ref(p) for p in procs_of(path)) if r is not None)
            _kill_now(path)
            return False
        return not any(procs.alive(r) for r in refs)

    return wait_until(gone, timeout)


def _kill_now(path: Path) -> None:
    try:
        (path / "cgroup.kill").write_text("1")
    except OSError:  # old kernel: signal one by one
        for pid in procs_of(path):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, 9)


def remove_tree(path: Path) -> bool:
    """rmdir the subtree, deepest first. True if it is gone."""
    if not path.is_dir():
        return True
    dirs = [Path(d) for d, _s, _f in os.walk(path)]
    for d in sorted(dirs, key=lambda p: len(p.parts), reverse=True):
        try:
            d.rmdir()
        except OSError as e:
            if e.errno == errno.ENOENT:
                continue
            return False
    return not path.exists()
