"""JSON-lines files that several processes append to and read as they grow.

:class:`JsonlTail` reads only what was appended since its last read, keeps a
torn last line (a writer mid-append, or one that crashed) for later, and starts
over when the file was replaced or truncated. :func:`write_records` appends
records and fsyncs them, under the exclusive flock of
:func:`cockpit.timeline.segments.locked_for_append`; if a crashed writer left a
line without its newline, it is ended first (:func:`end_torn_line`), so the
torn record costs only itself and never the next one.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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

    @property
    def ident(self) -> tuple[int, int] | None:
        """(device, inode) of the file being followed; None before the first read or when there is none."""
        return self._ino

    def moved_to(self, path: Path) -> JsonlTail:
        """A tail of the same file under its new name (after a rotation), from where this one was."""
        tail = JsonlTail(path)
        tail._ino, tail._offset = self._ino, self._offset
        return tail

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


def write_records(fd: int, records: list[dict[str, Any]]) -> None:
    data = b"".join(json.dumps(r, ensure_ascii=False, default=str).encode("utf-8") + b"\n" for r in records)
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]
    os.fsync(fd)


def end_torn_line(fd: int) -> None:
    """End a line a crashed writer left without its newline (call under the lock)."""
    size = os.fstat(fd).st_size
    if size and os.pread(fd, 1, size - 1) != b"\n":
        os.write(fd, b"\n")
