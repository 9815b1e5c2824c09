"""Size-rotated JSONL files: a wallboard running for days never grows one
file without bound, and no record is ever dropped.

When an append leaves ``timeline.jsonl`` at or over the limit, the writer
(still holding the file's exclusive lock) renames it to the next
``timeline-000001.jsonl``, ``timeline-000002.jsonl`` ... and the next append
starts a new file. Rotated segments are kept for good (evidence is never
deleted by the cockpit; an operator may archive them) and are never written
again: a writer that waited for the lock of the renamed file sees that the
name now points elsewhere and opens the new one (:func:`locked_for_append`).

:class:`SegmentedTail` reads every segment, oldest first, then the current
file, and keeps reading across a rotation without reading a record twice or
missing one: the file it was following is finished under its new name first.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
from collections.abc import Iterator
from pathlib import Path

from cockpit.paths import ensure_private_dir, open_private
from cockpit.timeline.jsonl import Chunk, JsonlTail, end_torn_line

DEFAULT_ROTATE_BYTES = 8 << 20  # ~25,000 events: many hours of a flapping fact, weeks of a normal incident


def _pattern(path: Path) -> re.Pattern[str]:
    return re.compile(re.escape(path.stem) + r"-(\d{6,})" + re.escape(path.suffix) + "$")


def rotated_segments(path: Path) -> list[Path]:
    """The rotated segments of ``path``, oldest first."""
    pat = _pattern(path)
    try:
        names = os.listdir(path.parent)
    except FileNotFoundError:
        return []
    found = [(int(m.group(1)), n) for n in names if (m := pat.match(n))]
    return [path.parent / n for _, n in sorted(found)]


def _next_segment(path: Path) -> Path:
    pat = _pattern(path)
    last = max((int(m.group(1)) for p in rotated_segments(path) if (m := pat.match(p.name))), default=0)
    return path.with_name(f"{path.stem}-{last + 1:06d}{path.suffix}")


def rotate_if_over(path: Path, fd: int, limit: int) -> Path | None:
    """Call with ``fd`` (``path``, locked): rename the file aside once it has reached ``limit`` bytes."""
    if os.fstat(fd).st_size < limit:
        return None
    dest = _next_segment(path)
    os.rename(path, dest)  # same directory: atomic; the lock holders of the old name notice (same inode check)
    return dest


def _ident(st: os.stat_result) -> tuple[int, int]:
    return st.st_dev, st.st_ino


@contextlib.contextmanager
def locked_for_append(path: Path) -> Iterator[int]:
    """An O_APPEND descriptor of the CURRENT ``path`` under an exclusive flock (blocks other writers).

    A writer that got the lock of a file another writer rotated meanwhile lets it go and opens the new one."""
    ensure_private_dir(path.parent)
    while True:
        fd = open_private(path, os.O_RDWR | os.O_APPEND | os.O_CREAT)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                same = _ident(os.fstat(fd)) == _ident(os.stat(path))
            except FileNotFoundError:
                same = False
            if same:
                end_torn_line(fd)
                yield fd
                return
        finally:
            os.close(fd)  # releases the lock


class SegmentedTail:
    """Like :class:`JsonlTail`, over the rotated segments and then the current file."""

    def __init__(self, path: Path):
        self.path = path
        self._tail = JsonlTail(path)
        self._seen: set[tuple[int, int]] = set()  # rotated segments read to their end
        self._listed = False

    def read_new(self) -> Chunk:
        out = Chunk()
        following = self._tail.ident
        try:
            now: tuple[int, int] | None = _ident(os.stat(self.path))
        except FileNotFoundError:
            now = None
        if not self._listed or following is None or now != following:
            self._listed = True
            finished = self._read_segments(out, following)
            if following is not None and now != following and not finished:
                # what we followed is gone (replaced or removed by hand, not rotated): start over
                out.restarted = True
                out.records.clear()
                out.corrupt = 0
                self._seen.clear()
                self._read_segments(out, None)
            self._tail = JsonlTail(self.path)  # the current file from its first byte
        chunk = self._tail.read_new()
        if chunk.restarted:  # the same file truncated or rewritten in place: everything again
            out = Chunk(restarted=True)
            self._seen.clear()
            self._read_segments(out, None)
        out.records += chunk.records
        out.corrupt += chunk.corrupt
        return out

    def _read_segments(self, out: Chunk, following: tuple[int, int] | None) -> bool:
        """Read every rotated segment not read yet into ``out``; True if ``following`` was among them."""
        finished = False
        for seg in rotated_segments(self.path):
            try:
                ident = _ident(os.stat(seg))
            except FileNotFoundError:
                continue
            if ident in self._seen:
                continue
            tail = self._tail.moved_to(seg) if ident == following else JsonlTail(seg)
            finished = finished or ident == following
            try:
                chunk = tail.read_new()
            except OSError:
                continue  # unreadable segment: the rest is still worth reading
            out.records += chunk.records
            out.corrupt += chunk.corrupt
            self._seen.add(ident)
        return finished
