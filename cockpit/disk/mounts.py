"""Parse ``/proc/mounts`` and ``/etc/fstab``. Pure functions that never raise."""

from __future__ import annotations

import re
from typing import TypeVar

from cockpit.disk.model import FstabEntry, MountEntry
from cockpit.disk.parsed import Parsed
from cockpit.disk.text import faithful, problem, text_lines

# The kernel (and fstab) escape space, tab, newline and backslash as \ooo.
_OCTAL = re.compile(r"\\([0-3][0-7]{2})")
_FIELD = 256  # fstype and a single option are short; anything longer is garbage


def unescape(field: str) -> str:
    r"""Decode ``\040``-style escapes; control characters then become ``?`` (as df prints them)."""
    return faithful(_OCTAL.sub(lambda m: chr(int(m.group(1), 8)), field))


def normalize_mountpoint(path: str) -> str:
    """``/srv/`` and ``/srv`` are the same mount point (the inventory may say either)."""
    if not path.startswith("/"):
        return path
    return path.rstrip("/") or "/"


def parse_proc_mounts(data: bytes | str) -> Parsed[MountEntry]:
    """``/proc/mounts``: ``device mountpoint fstype options dump pass``, single spaces."""
    entries: list[MountEntry] = []
    problems: list[str] = []
    for line in text_lines(data, problems):
        if not line.strip():
            continue
        fields = line.split(" ")
        if len(fields) != 6:
            fields = line.split()  # not what the kernel writes; accept it if it still has the columns
        if len(fields) < 4 or not fields[1].startswith("/"):
            problems.append(problem("unparseable /proc/mounts line", line))
            continue
        entries.append(_mount(fields, MountEntry))
    return Parsed(tuple(entries), tuple(problems))


def parse_fstab(data: bytes | str) -> Parsed[FstabEntry]:
    """``/etc/fstab``: comments, blank lines, UUID=/LABEL= specs, swap and ``none`` mount points."""
    entries: list[FstabEntry] = []
    problems: list[str] = []
    for line in text_lines(data, problems):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        fields = stripped.split()
        if len(fields) < 3 or not (fields[1].startswith("/") or fields[1] in ("none", "swap")):
            problems.append(problem("unparseable fstab line", line))
            continue
        if len(fields) == 3:
            fields.append("defaults")
        entries.append(_mount(fields, FstabEntry))
    return Parsed(tuple(entries), tuple(problems))


_Entry = TypeVar("_Entry", MountEntry, FstabEntry)


def _mount(fields: list[str], cls: type[_Entry]) -> _Entry:
    mountpoint = unescape(fields[1])
    return cls(
        device=unescape(fields[0]),
        mountpoint=normalize_mountpoint(mountpoint),
        fstype=faithful(fields[2], _FIELD),
        options=tuple(faithful(o, _FIELD) for o in fields[3].split(",") if o),
    )
