"""Processes the lab starts: identified by pid AND start time, never by name."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from cockpit.lab.errors import LabError
from cockpit.lab.state import ProcRef

SERVICE_ENV = {
    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "LANG": "C.UTF-8",
    "HOME": "/root",
}


def _stat_fields(pid: int) -> list[str] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError, OSError):
        return None
    # comm may hold spaces and parentheses: split after the last ')'
    rest = raw[raw.rindex(")") + 2:].split()
    return rest  # rest[0] = state, rest[1] = ppid, rest[19] = starttime


def ref(pid: int) -> ProcRef | None:
    f = _stat_fields(pid)
    return None if f is None else ProcRef(pid, int(f[19]))


def ppid(pid: int) -> int | None:
    f = _stat_fields(pid)
    return None if f is None else int(f[1])


def alive(r: ProcRef | None) -> bool:
    """True while the very process we started runs (a zombie counts as gone)."""
    if r is None:
        return False
    f = _stat_fields(r.pid)
    if f is None or int(f[19]) != r.start:
        return False
    if f[0] in ("Z", "X"):
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(r.pid, os.WNOHANG)  # reap it if it is our child
        return False
    return True


def signal_proc(r: ProcRef | None, sig: int) -> bool:
    if not alive(r):
        return False
    assert r is not None
    try:
        os.kill(r.pid, sig)
    except ProcessLookupError:
        return False
    return True


def wait_until(cond: Callable[[], bool], timeout: float, interval: float = 0.01) -> bool:
    deadline = time.monotonic() + timeout
    while True:
        if cond():
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(interval)
        interval = min(interval * 1.5, 0.1)


def spawn(argv: Sequence[str], log: Path, cgroup_procs: Path,
          env: dict[str, str] | None = None) -> ProcRef:
    """Start ``argv`` detached (own session, stdin /dev/null, output appended
    to ``log``) inside the cgroup whose ``cgroup.procs`` is given, so that
    teardown finds it and all its descendants even if nobody recorded them."""
    wrapper = ["/bin/sh", "-c", 'echo $$ > "$0" && exec "$@"', str(cgroup_procs), *argv]
    with open(log, "ab", buffering=0) as out:
        try:
            p = subprocess.Popen(wrapper, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                 start_new_session=True, env=env or SERVICE_ENV, close_fds=True)
        except OSError as e:
            raise LabError(f"cannot start {argv[0]}: {e.strerror}") from None
    r = ref(p.pid)
    if r is None:  # already gone: the caller notices through the log
        return ProcRef(p.pid, -1)
    return r


def kill_and_wait(refs: Sequence[ProcRef | None], timeout: float = 5.0) -> None:
    for r in refs:
        signal_proc(r, signal.SIGKILL)
    wait_until(lambda: not any(alive(r) for r in refs), timeout)


def tail(path: Path, lines: int = 3) -> str:
    try:
        text = path.read_text(errors="replace").strip().splitlines()
    except OSError:
        return ""
    return " | ".join(text[-lines:])
