"""Parse ``df -P`` and ``df -Pi`` output, or both at once from GNU df's ``--output``.
Pure functions that never raise.

POSIX format: ``Filesystem  total  used  available  capacity%  mount point``.
The mount point is everything after the capacity column, spaces included
(df prints control characters as ``?``). A device name may contain spaces too,
so a line is read as: device, then the first run of three numbers and a
percentage (or ``-``, df's "no inodes here") that is followed by a path.

``df -k --output=`` :data:`OUTPUT_FIELDS` (GNU coreutils) gives blocks and
inodes in one run (one process on the host instead of two, per sweep): device,
then six numbers (or ``-``), then the mount point, read the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from cockpit.disk.model import DfEntry
from cockpit.disk.mounts import normalize_mountpoint
from cockpit.disk.parsed import Parsed
from cockpit.disk.text import faithful, problem, text_lines

_TOKEN = re.compile(r"\S+")
_NUMBER = re.compile(r"\d{1,30}|-")
_PERCENT = re.compile(r"\d{1,3}%|-")
OUTPUT_FIELDS = "source,size,used,avail,itotal,iused,iavail,target"
R = TypeVar("R")


def parse_df(data: bytes | str) -> Parsed[DfEntry]:
    """One :class:`DfEntry` per data line; the header line is skipped."""
    entries, problems = _rows(data, _parse_line)
    return Parsed(tuple(entries), tuple(problems))


def parse_df_output(data: bytes | str) -> tuple[Parsed[DfEntry], Parsed[DfEntry]]:
    """``df -k --output=OUTPUT_FIELDS``: the entries of ``df -P`` and of ``df -Pi``, in df's order."""
    pairs, problems = _rows(data, _parse_output_line)
    return Parsed(tuple(b for b, _ in pairs), tuple(problems)), Parsed(tuple(i for _, i in pairs), ())


def _rows(data: bytes | str, parse_line: Callable[[str], R | None]) -> tuple[list[R], list[str]]:
    """``parse_line`` of every data line (not blank, not df's header), and the lines it could not read."""
    rows: list[R] = []
    problems: list[str] = []
    for line in text_lines(data, problems):
        if not line.strip() or line.startswith("Filesystem "):
            continue
        row = parse_line(line)
        if row is None:
            problems.append(problem("unparseable df line", line))
        else:
            rows.append(row)
    return rows, problems


def used_percent(used: int, available: int) -> float | None:
    """``used / (used + available)`` like df (which rounds up), to one decimal, rounded up.

    Rounding up keeps us on the same side of a threshold as df's own column:
    89.91 % is 90.0 here, as it is 90 % in df. None when there is nothing to divide.
    """
    total = used + available
    if total <= 0 or used < 0 or available < 0:
        return None
    tenths = -(-used * 1000 // total)  # ceiling division, exact on integers
    return tenths / 10


def _parse_line(line: str) -> DfEntry | None:
    tokens = list(_TOKEN.finditer(line))
    for i in range(1, len(tokens) - 4):
        total, used, avail, pct, path = tokens[i : i + 5]
        if not (  # cheapest and most selective tests first
            path.group().startswith("/")
            and _PERCENT.fullmatch(pct.group())
            and _NUMBER.fullmatch(total.group())
            and _NUMBER.fullmatch(used.group())
            and _NUMBER.fullmatch(avail.group())
        ):
            continue
        numbers = [_int(t.group()) for t in (total, used, avail)]
        return DfEntry(
            filesystem=faithful(line[: total.start()].strip()),
            mountpoint=normalize_mountpoint(faithful(line[path.start() :].rstrip("\n"))),
            total=numbers[0] or 0,
            used=numbers[1] or 0,
            available=numbers[2] or 0,
            used_percent=_percent(numbers[1], numbers[2]),
        )
    return None


def _parse_output_line(line: str) -> tuple[DfEntry, DfEntry] | None:
    tokens = list(_TOKEN.finditer(line))
    for i in range(1, len(tokens) - 6):
        path = tokens[i + 6]
        numbers = tokens[i : i + 6]
        if not (path.group().startswith("/") and all(_NUMBER.fullmatch(t.group()) for t in numbers)):
            continue
        size, used, avail, itotal, iused, iavail = (_int(t.group()) for t in numbers)
        device = faithful(line[: numbers[0].start()].strip())
        mountpoint = normalize_mountpoint(faithful(line[path.start() :].rstrip("\n")))
        return (DfEntry(filesystem=device, mountpoint=mountpoint, total=size or 0, used=used or 0,
                        available=avail or 0, used_percent=_percent(used, avail)),
                DfEntry(filesystem=device, mountpoint=mountpoint, total=itotal or 0, used=iused or 0,
                        available=iavail or 0, used_percent=_percent(iused, iavail)))
    return None


def _int(word: str) -> int | None:
    return None if word == "-" else int(word)


def _percent(used: int | None, available: int | None) -> float | None:
    if used is None or available is None:
        return None
    return used_percent(used, available)
