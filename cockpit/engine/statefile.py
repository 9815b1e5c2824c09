"""The engine's persistent state (a small JSON document), shared safely between
cockpits on one machine.

It holds what must survive a restart: which host each site is on now (after a
failover), DNS changes the cockpit made (for "done by" times), and so on. Each
feature keeps its own top-level key. Updates take an exclusive flock, re-read
the file, apply the change and replace the file atomically (fsync + rename), so
two cockpits never lose each other's writes and a crash never leaves half a file.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from cockpit.paths import ensure_private_dir, open_private
from cockpit.secrets import scrub

State = dict[str, Any]


class StateFile:
    def __init__(self, path: Path):
        self.path = path
        ensure_private_dir(path.parent)

    def load(self) -> State:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (ValueError, UnicodeDecodeError):
            # Never silently start over on a damaged file: keep it for a human.
            broken = self.path.with_suffix(".damaged")
            os.replace(self.path, broken)
            return {"_damaged_state_moved_to": str(broken)}
        return data if isinstance(data, dict) else {}

    def update(self, change: Callable[[State], None]) -> State:
        """Apply ``change`` to the current state under an exclusive lock; returns the new state."""
        with self._locked():
            state = self.load()
            change(state)
            self._write(state)
            return state

    def section(self, key: str) -> dict[str, Any]:
        value = self.load().get(key)
        return value if isinstance(value, dict) else {}

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        fd = open_private(self.path.with_suffix(".lock"), os.O_RDWR | os.O_CREAT)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def _write(self, state: State) -> None:
        tmp = self.path.with_suffix(".tmp")
        fd = open_private(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(scrub(state), f, indent=1, sort_keys=True, default=str)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)
        dfd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
