"""Split the disk probe's combined output into its sections (see cockpit.disk.command)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from cockpit.markers import find_markers

_NAME = rb"[a-z_]{1,32}"
# What follows ``@@cockpit:NONCE:`` (cockpit.markers: no pattern compiled per probe, ~1 ms each)
_TAIL = re.compile(rb"(begin|stderr|end|absent):(" + _NAME + rb")(?::(-?\d{1,9}))?@@(?:\n|\Z)")


@dataclass(frozen=True)
class Section:
    """One section of the output: what a command printed and how it ended."""

    name: str
    stdout: bytes = b""
    stderr: bytes = b""
    exit_status: int | None = None  # None: the section never ended (output cut off)
    absent: bool = False  # the probed thing does not exist on the host (/proc/mdstat)

    @property
    def complete(self) -> bool:
        return self.exit_status is not None or self.absent

    @property
    def ok(self) -> bool:
        return self.exit_status == 0


@dataclass(frozen=True)
class Split:
    sections: dict[str, Section]
    problems: tuple[str, ...]


def split_sections(output: bytes, nonce: str) -> dict[str, Section]:
    """Sections by name; anything outside a section is ignored. See :func:`split_output`."""
    return split_output(output, nonce).sections


def split_output(output: bytes, nonce: str) -> Split:
    """Cut ``output`` at the markers that carry ``nonce``. Never raises.

    A section whose end marker is missing (output cut off, host died) is kept
    with ``exit_status=None``. Markers out of order or repeated are reported
    as problems; the first occurrence of a section wins.
    """
    if not isinstance(output, bytes | bytearray):
        return Split({}, ("probe output is not bytes",))
    cut = _Cutter(bytes(output))
    for kind, name, start, end, status in _markers(cut.data, nonce):
        cut.marker(kind, name, start, end, status)
    if cut.open is not None:
        cut.problems.append(f"section {cut.open.name} was cut off")
        cut.close(len(cut.data), None)
    if not cut.sections and cut.data:
        cut.problems.append("no section markers in the probe output")
    return Split(cut.sections, tuple(cut.problems))


def _markers(data: bytes, nonce: str) -> Iterator[tuple[str, str, int, int, int | None]]:
    """(kind, name, start, end, status) of each marker carrying ``nonce``; a marker
    takes the newline before it unless an earlier marker of ours already did."""
    tag = b"@@cockpit:" + nonce.encode("ascii", "replace") + b":"
    for start, m in find_markers(data, tag, _TAIL):
        yield m.group(1).decode(), m.group(2).decode(), start, m.end(), _status(m.group(3))


@dataclass
class _Open:
    name: str
    out_start: int
    out_end: int | None = None
    err_start: int | None = None


@dataclass
class _Cutter:
    data: bytes
    sections: dict[str, Section] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    open: _Open | None = None

    def marker(self, kind: str, name: str, start: int, end: int, status: int | None) -> None:
        cur = self.open
        if kind == "begin":
            if cur is not None:
                self.problems.append(f"section {cur.name} has no end marker")
                self.close(start, None)
            self.open = _Open(name, end)
        elif kind == "stderr" and cur is not None and cur.name == name and cur.err_start is None:
            cur.out_end, cur.err_start = start, end
        elif kind == "end" and cur is not None and cur.name == name:
            self.close(start, -1 if status is None else status)  # -1: end marker without a status
        elif kind == "absent" and cur is None and name not in self.sections:
            self.sections[name] = Section(name, absent=True)
        else:
            self.problems.append(f"unexpected {kind} marker for section {name}")

    def close(self, end: int, exit_status: int | None) -> None:
        sec, self.open = self.open, None
        assert sec is not None
        if sec.name in self.sections:
            self.problems.append(f"section {sec.name} appears twice; the first one is used")
            return
        if sec.err_start is None:
            stdout, stderr = self.data[sec.out_start:end], b""
        else:
            stdout, stderr = self.data[sec.out_start:sec.out_end], self.data[sec.err_start:end]
        self.sections[sec.name] = Section(sec.name, stdout, stderr, exit_status)


def _status(raw: bytes | None) -> int | None:
    return None if raw is None else int(raw)
