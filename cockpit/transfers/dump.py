"""Split the output of :func:`cockpit.transfers.remote.status_command` (pure, never raises).

The output is framed by ``@@NONCE@@`` markers; the nonce is fresh per poll,
so nothing a host stores (a file name in the itemized changes, a hostile log)
can forge a marker. A marker is preceded by a newline the command adds, which
is not part of the field before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cockpit.inventory.reader import NAME_RE
from cockpit.markers import find_markers


@dataclass
class RawImport:
    """What the destination host says about one import's state directory."""

    site: str
    files: dict[str, bytes] = field(default_factory=dict)
    alive: set[str] = field(default_factory=set)
    log_mtime: int | None = None
    changes: int | None = None  # itemized changes the verification listed
    complete: bool = False  # its "done" marker arrived (the output was not cut off)


@dataclass
class Dump:
    now: int | None = None  # the destination's clock (epoch seconds)
    imports: dict[str, RawImport] = field(default_factory=dict)
    no_state_dir: bool = False
    complete: bool = False
    problems: list[str] = field(default_factory=list)


def _int(raw: bytes) -> int | None:
    raw = raw.strip()
    return int(raw) if raw.isdigit() and len(raw) < 19 else None


# What follows ``@@NONCE@@`` (cockpit.markers: no pattern compiled per poll)
_MARKER_TAIL = re.compile(rb"([a-z]+)(?: ([^\n]*))?(?:\n|\Z)")


def parse_dump(output: bytes, nonce: str) -> Dump:
    dump = Dump()
    matches = list(find_markers(output, b"@@" + nonce.encode() + b"@@", _MARKER_TAIL))
    current: RawImport | None = None
    for i, (_, m) in enumerate(matches):
        kind, arg = m.group(1).decode(), (m.group(2) or b"")
        body = output[m.end(): matches[i + 1][0] if i + 1 < len(matches) else len(output)]
        if kind == "none":
            dump.no_state_dir = True
            dump.complete = True
        elif kind == "now":
            dump.now = _int(arg)
        elif kind == "end":
            dump.complete = True
        elif kind == "site":
            name = arg.decode("utf-8", "replace")
            if not NAME_RE.match(name):
                dump.problems.append(f"a state directory with an unexpected name: {name[:60]!r}")
                current = None
                continue
            current = dump.imports.setdefault(name, RawImport(name))
        elif current is None:
            continue
        elif kind == "file":
            current.files[arg.decode("ascii", "replace")] = bytes(body)
        elif kind == "alive":
            current.alive.add(arg.decode("ascii", "replace"))
        elif kind == "mtime":
            current.log_mtime = _int(arg)
        elif kind == "changes":
            current.changes = _int(arg)
        elif kind == "done":
            current.complete = True
    if not matches and output.strip():
        dump.problems.append("the state listing had no markers (not a POSIX shell? output cut off?)")
    return dump
