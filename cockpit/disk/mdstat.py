"""Parse ``/proc/mdstat`` (Linux software RAID). Pure function that never raises.

An array is a header line and the indented lines under it::

    md0 : active raid1 sdb1[1](F) sda1[0]
          976630464 blocks super 1.2 [2/1] [U_]
          [==>..................]  recovery = 12.6% (123297280/976630272) finish=74.2min speed=191652K/sec
          bitmap: 0/8 pages [0KB], 65536KB chunk

Members carry flags: (F) failed, (S) spare, (W) write-mostly, (J) journal,
(R) replacement. raid0/linear print no ``[n/m] [UU]``. ``resync=DELAYED`` and
``resync=PENDING`` (printed after a tab) stand in for a progress line. An
IMSM/DDF container ("super external:imsm") is always "inactive"; that is normal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cockpit.disk.model import RaidArray
from cockpit.disk.parsed import Parsed
from cockpit.disk.text import faithful, problem, text_lines

_HEADER = re.compile(r"(md[\w.-]{0,64})\s*:\s*(.*)")
_MEMBER = re.compile(r"([^\s\[\]()]{1,128})\[(\d{1,6})\]((?:\([A-Z]\))*)")
_COUNTS = re.compile(r"\[(\d{1,6})/(\d{1,6})\]")
_MAP = re.compile(r"\[([U_]{1,4096})\]")
_PROGRESS = re.compile(r"\b(resync|recovery|reshape|check|repair)\s*=\s*(\d{1,3}(?:\.\d{1,6})?)%")
_WAITING = re.compile(r"\b(resync|recovery|reshape|check|repair)\s*=\s*(DELAYED|PENDING)\b", re.IGNORECASE)
_LEVEL = re.compile(r"raid\d{1,2}|linear|multipath|faulty")
_IGNORED = ("Personalities", "unused devices", "read_ahead", "Event:")


@dataclass
class _Array:
    name: str
    active: bool
    level: str | None = None
    read_only: bool = False
    members: list[tuple[str, str]] = field(default_factory=list)  # (device, flags)
    counts: tuple[int, int] | None = None
    up_map: str | None = None
    action: str | None = None
    progress: float | None = None
    waiting: str | None = None
    external: bool = False


def parse_mdstat(data: bytes | str) -> Parsed[RaidArray]:
    """Every array in the file; none at all when there is no RAID (not a problem)."""
    arrays: list[RaidArray] = []
    problems: list[str] = []
    current: _Array | None = None
    for line in text_lines(data, problems):
        stripped = line.strip()
        header = None if line[:1].isspace() else _HEADER.fullmatch(stripped)
        if header:
            if current is not None:
                arrays.append(_finish(current))
            current = _start(header.group(1), header.group(2))
            if current is None:
                problems.append(problem("unparseable mdstat array line", line))
        elif not stripped or stripped.startswith(_IGNORED):
            continue
        elif current is not None and line[:1].isspace():
            _detail(current, stripped)
        else:
            problems.append(problem("unexpected mdstat line", line))
    if current is not None:
        arrays.append(_finish(current))
    return Parsed(tuple(arrays), tuple(problems))


def _start(name: str, rest: str) -> _Array | None:
    words = rest.split()
    if not words or words[0] not in ("active", "inactive"):
        return None
    arr = _Array(name=faithful(name), active=words[0] == "active")
    for word in words[1:]:
        if word in ("(auto-read-only)", "(read-only)"):
            arr.read_only = True
        elif arr.level is None and _LEVEL.fullmatch(word):
            arr.level = word
        elif m := _MEMBER.fullmatch(word):
            arr.members.append((faithful(m.group(1)), m.group(3)))
    return arr


def _detail(arr: _Array, line: str) -> None:
    if "external:" in line:
        arr.external = True
    if arr.counts is None and (c := _COUNTS.search(line)):
        arr.counts = (int(c.group(1)), int(c.group(2)))
    if arr.up_map is None and (u := _MAP.search(line)):
        arr.up_map = u.group(1)
    if p := _PROGRESS.search(line):
        arr.action, arr.progress = p.group(1), min(float(p.group(2)), 100.0)
    elif w := _WAITING.search(line):
        arr.action, arr.waiting = w.group(1), w.group(2).lower()


def _finish(arr: _Array) -> RaidArray:
    failed = tuple(d for d, flags in arr.members if "(F)" in flags)
    spares = tuple(d for d, flags in arr.members if "(S)" in flags and "(F)" not in flags)
    container = not arr.active and arr.external and arr.level is None
    if arr.counts is not None:
        total, up = arr.counts
    elif arr.up_map is not None:
        total, up = len(arr.up_map), arr.up_map.count("U")
    else:  # raid0, linear, inactive: only the member list says anything
        in_use = [d for d, flags in arr.members if "(S)" not in flags]
        total = len(in_use) if arr.active else len(arr.members)
        up = len([d for d in in_use if d not in failed]) if arr.active else 0
    missing = up < total or (arr.up_map is not None and "_" in arr.up_map)
    if container:
        state = "container"
    elif not arr.active:
        state = "inactive"
    elif arr.action is not None:
        state = arr.action
    elif missing:
        state = "degraded"
    else:
        state = "clean"
    return RaidArray(
        device=arr.name,
        level=arr.level,
        state=state,
        members_total=total,
        members_up=up,
        failed_members=failed,
        progress_percent=arr.progress,
        spare_members=spares,
        sync_action=arr.action,
        sync_waiting=arr.waiting,
        read_only=arr.read_only,
        container=container,
    )
