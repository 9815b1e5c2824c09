"""A private (0700) directory for one engine's unix sockets (the MySQL tunnels'
local ends), under the cockpit's run dir, named after its owner process:
``<prefix>-<pid>-<start time>-<random>`` (two engines in one process get two).

A cockpit killed with SIGKILL cannot remove its directory; the next one to make
its own clears those whose owner is gone (that pid no longer runs, or runs a
process started at another time: pids are reused). A directory whose owner runs
is never touched: two cockpits on one inventory share the run dir.

A unix socket path holds at most 107 bytes. When the run dir is too deep for
that (or cannot be made), the directory goes in the system's temp dir instead,
as ``cockpit-<prefix>-...``, and is cleared from there the same way.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from cockpit.paths import ensure_private_dir

SUN_PATH_MAX = 107  # sockaddr_un.sun_path (108) less its NUL
_RANDOM = 8  # mkdtemp's random part
_NAME_ROOM = 16  # the socket's own name inside the directory ("/t123456.sock")


def start_time(pid: int) -> int | None:
    """The process's start time (clock ticks since boot, /proc/PID/stat field 22); None if it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
        return int(raw[raw.rindex(")") + 2:].split()[19])  # comm may hold spaces and parentheses
    except (OSError, ValueError, IndexError):
        return None


def owner_gone(name: str, prefix: str) -> bool:
    """Is ``name`` one of our directories (``prefix-PID-START``) whose owner no longer runs?"""
    m = re.fullmatch(re.escape(prefix) + r"-(\d+)-(\d+)-\w+", name)
    if m is None:
        return False
    started = start_time(int(m.group(1)))
    return started is None or started != int(m.group(2))


def clear_stale(parent: Path, prefix: str) -> list[Path]:
    """Remove ``parent``'s directories of ``prefix`` whose owner is gone (ours only); what was removed."""
    removed: list[Path] = []
    uid = os.getuid()
    with contextlib.suppress(OSError):
        for entry in os.scandir(parent):
            with contextlib.suppress(OSError):
                if (owner_gone(entry.name, prefix) and entry.is_dir(follow_symlinks=False)
                        and entry.stat(follow_symlinks=False).st_uid == uid):
                    shutil.rmtree(entry.path, ignore_errors=True)
                    removed.append(Path(entry.path))
    return removed


class SocketDir:
    """Made on first use (:meth:`path`), removed by :meth:`remove`."""

    def __init__(self, parent: Callable[[], Path] | None, prefix: str):
        """``parent``: gives the cockpit's run dir, asked on first use (None, or if it fails: the system's
        temp dir)."""
        self._parent = parent
        self._prefix = prefix
        self.dir: Path | None = None
        self._serial = 0

    def path(self, stem: str) -> str:
        """A fresh socket path ``<dir>/<stem><n>.sock`` (nothing there)."""
        if self.dir is None:
            self.dir = self._make()
        self._serial += 1
        p = self.dir / f"{stem}{self._serial}.sock"
        p.unlink(missing_ok=True)
        return str(p)

    def remove(self) -> None:
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def _make(self) -> Path:
        pid = os.getpid()
        owner = f"{pid}-{start_time(pid) or 0}-"
        with contextlib.suppress(OSError):
            parent = self._parent() if self._parent is not None else None
            name = f"{self._prefix}-{owner}"
            if parent is not None and len(str(parent / name)) + _RANDOM + _NAME_ROOM <= SUN_PATH_MAX:
                ensure_private_dir(parent)
                clear_stale(parent, self._prefix)
                return Path(tempfile.mkdtemp(prefix=name, dir=parent))  # mode 0700
        tmp, prefix = Path(tempfile.gettempdir()), tmp_prefix(self._prefix)
        clear_stale(tmp, prefix)
        return Path(tempfile.mkdtemp(prefix=f"{prefix}-{owner}", dir=tmp))


def tmp_prefix(prefix: str) -> str:
    """The directories' prefix in the system's temp dir (shared with everything else there)."""
    return f"cockpit-{prefix}"
