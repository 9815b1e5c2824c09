"""JSON-lines files that several processes append to and read as they grow.

:class:`JsonlTail` reads only what was appended since its last read, keeps a
torn last line (a writer mid-append, or one that crashed) for later, and starts
over when the file was replaced or truncated. :func:`append_line` appends one
record under an exclusive flock and fsyncs it; if a crashed writer left a line
without its newline, it ends that line first, so the torn record costs only
itself and never the next one.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cockpit.paths import ensure_private_dir, open_private

MAX_LINE = 1 << 20  # a longer line is not a record of ours


@dataclass
class Chunk:
    records: list[Any] = field(default_factory=list)
    corrupt: int = 0  # lines that were not JSON
    restarted: bool = False  # the file was replaced or truncated: records start from the beginning again


class JsonlTail:
    def __init__(self, path: Path):
        self.path = path
        self._ino: tuple[int, int] | None = None
        self._offset = 0

    def read_new(self) -> Chunk:
        """Records appended since the last call (complete lines only)."""
        chunk = Chunk()
        try:
            f = self.path.open("rb")
        except FileNotFoundError:
            chunk.restarted = self._offset != 0
            self._ino, self._offset = None, 0
            return chunk
        with f:
            st = os.fstat(f.fileno())
            ino = (st.st_dev, st.st_ino)
            if ino != self._ino or st.st_size < self._offset:
                chunk.restarted = self._ino is not None
                self._ino, self._offset = ino, 0
            f.seek(self._offset)
            data = f.read(max(0, st.st_size - self._offset))
        end = data.rfind(b"\n") + 1
        for raw in data[:end].split(b"\n"):
            if not raw.strip():
                continue
            try:
                chunk.records.append(json.loads(raw) if len(raw) <= MAX_LINE else None)
            except (ValueError, UnicodeDecodeError):
                chunk.corrupt += 1
        if None in chunk.records:
            chunk.corrupt += chunk.records.count(None)
            chunk.records = [r for r in chunk.records if r is not None]
        self._offset += end
        return chunk


@contextlib.contextmanager
def locked_for_append(path: Path) -> Iterator[int]:
    """An O_APPEND descriptor of ``path`` under an exclusive flock (blocks other writers)."""
    ensure_private_dir(path.parent)
    fd = open_private(path, os.O_RDWR | os.O_APPEND | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        _end_torn_line(fd)
        yield fd
    finally:
        os.close(fd)  # releases the lock


def write_records(fd: int, records: list[dict[str, Any]]) -> None:
    data = b"".join(json.dumps(r, ensure_ascii=False, default=str).encode("utf-8") + b"\n" for r in records)
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]
    os.fsync(fd)


def _end_torn_line(fd: int) -> None:
    size = os.fstat(fd).st_size
    if size and os.pread(fd, 1, size - 1) != b"\n":
        os.write(fd, b"\n")
