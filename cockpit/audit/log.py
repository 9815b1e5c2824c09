"""Append-only JSONL audit log, fsynced per record, secrets scrubbed.

Every record carries who (local user, machine, pid), when (UTC) and what. The
writer never truncates or rewrites the file; readers tolerate a torn last line
(a crash mid-write) and report it rather than failing.

Unlike the timeline (:mod:`cockpit.timeline.segments`), the audit is not
rotated: only actions write it (a few hundred bytes per step, never the
read-only wallboard), so it grows with what engineers do, not with time, and
one file is what every reader (crash detection, the timeline, an auditor with
grep) can never half-read. Archive it by hand if it is ever needed.
"""

from __future__ import annotations

import getpass
import json
import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cockpit import clock
from cockpit.paths import ensure_private_dir, open_private
from cockpit.secrets import scrub


@dataclass(frozen=True)
class Actor:
    user: str
    machine: str
    pid: int

    @classmethod
    def current(cls) -> Actor:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = str(os.getuid())
        return cls(user=user, machine=socket.gethostname(), pid=os.getpid())

    def __str__(self) -> str:
        return f"{self.user}@{self.machine} (pid {self.pid})"


class AuditLog:
    def __init__(self, path: Path, actor: Actor | None = None):
        self.path = path
        self.actor = actor or Actor.current()
        self._lock = threading.Lock()
        ensure_private_dir(path.parent)

    def record(self, kind: str, **fields: Any) -> dict[str, Any]:
        """Append one record and fsync it before returning. Returns the record."""
        rec: dict[str, Any] = {
            "at": clock.iso(clock.now()),
            "kind": kind,
            "user": self.actor.user,
            "machine": self.actor.machine,
            "pid": self.actor.pid,
        }
        rec.update(fields)
        line = json.dumps(scrub(rec), ensure_ascii=False, sort_keys=False, default=str) + "\n"
        data = line.encode("utf-8")
        with self._lock:
            fd = open_private(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
            try:
                os.write(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
        return rec


def read_records(path: Path) -> Iterator[dict[str, Any]]:
    """Every well-formed record; a torn or garbage line yields a ``corrupt-line`` record."""
    if not path.exists():
        return
    with path.open("rb") as f:
        for lineno, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            try:
                rec = json.loads(raw)
            except (ValueError, UnicodeDecodeError):
                yield {"kind": "corrupt-line", "line": lineno}
                continue
            if isinstance(rec, dict):
                yield rec
