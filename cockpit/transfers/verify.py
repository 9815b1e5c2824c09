"""Judge a verification run (pure): the dry ``rsync --checksum --itemize-changes
--stats`` must list no change, and file counts and bytes must agree on both
sides (the source's from rsync's stats, the destination's from ``find``).

Extra files on the destination are not listed by rsync without ``--delete``
(which is never used for checking); the counts catch them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cockpit.untrusted import decode, printable

CHANGE_LIMIT = 50  # differences shown file by file; the rest are counted

_FILES = re.compile(rb"^Number of files: ([\d,.]+)(?: \(([^)]*)\))?\s*$", re.M)
_PART = re.compile(rb"([a-z]+): (\d{1,3}(?:[,.]\d{3})+|\d+)(?=,|\s*$)")
_SIZE = re.compile(rb"^Total file size: ([\d,.]+) bytes\s*$", re.M)
_ITEM = re.compile(r"^([<>ch.*])([fdLDS])([^ ]{9,10}) (.*)$")
_KINDS = {"f": "file", "d": "directory", "L": "symlink", "D": "device", "S": "special file"}


@dataclass(frozen=True)
class Counts:
    entries: int  # everything: files, directories, links, others
    regular: int
    dirs: int
    links: int
    bytes: int  # regular file sizes plus symlink lengths (rsync's "Total file size")


@dataclass(frozen=True)
class Verification:
    verified: bool
    exit_code: int | None
    differences: tuple[str, ...]  # one line each, file by file, at most CHANGE_LIMIT
    changes_total: int  # how many items rsync listed
    source: Counts | None
    destination: Counts | None

    @property
    def summary(self) -> str:
        if self.verified:
            return "no differences: every file present and identical (checksums)"
        return self.differences[0] if self.differences else "not verified"


def _num(raw: bytes) -> int:
    return int(raw.replace(b",", b"").replace(b".", b"") or b"0")


def parse_stats(out: bytes) -> Counts | None:
    """The source side, from ``--stats``: ``Number of files: 157 (reg: 152, dir: 4, link: 1)``."""
    m, s = _FILES.search(out), _SIZE.search(out)
    if m is None or s is None:
        return None
    parts: dict[str, int] = {}
    # "reg: 152, dir: 4" or, with thousands separators, "reg: 2,020, dir: 16": split on the names
    for k, v in _PART.findall(m.group(2) or b""):  # a part that is not a number is not counted (garbled)
        parts[k.decode("ascii", "replace")] = _num(v)
    return Counts(entries=_num(m.group(1)), regular=parts.get("reg", 0), dirs=parts.get("dir", 0),
                  links=parts.get("link", 0), bytes=_num(s.group(1)))


def parse_local(out: bytes) -> Counts | None:
    """The destination side: lines ``TYPE COUNT BYTES`` from ``find -printf '%y %s'``."""
    n: dict[str, int] = {}
    size: dict[str, int] = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
            continue
        k = parts[0].decode("ascii", "replace")
        n[k], size[k] = n.get(k, 0) + int(parts[1]), size.get(k, 0) + int(parts[2])
    if not n:
        return None
    return Counts(entries=sum(n.values()), regular=n.get("f", 0), dirs=n.get("d", 0), links=n.get("l", 0),
                  bytes=size.get("f", 0) + size.get("l", 0))


def describe_change(line: str) -> str:
    """``>f+++++++++ a/b.eml`` -> ``missing on the destination: file a/b.eml``."""
    m = _ITEM.match(line)
    if m is None:
        return printable(line, 300)
    action, kind, flags, path = m.groups()
    what = _KINDS.get(kind, "item")
    path = printable(path, 240)
    if action == "*":
        return printable(f"{flags.strip()}: {what} {path}", 300)
    if "+" in flags and flags.strip("+") == "":
        return f"missing on the destination: {what} {path}"
    why = []
    if flags[0] == "c":
        why.append("checksum" if kind == "f" else "target")
    if flags[1] == "s":
        why.append("size")
    if flags[2] in "tT":
        why.append("time")
    if flags[3] == "p":
        why.append("permissions")
    if flags[4] == "o" or flags[5] == "g":
        why.append("owner")
    return f"differs ({', '.join(why) or 'attributes'}): {what} {path}"


def _count_diffs(src: Counts, dst: Counts) -> list[str]:
    out = []
    for label, a, b in (("files", src.regular, dst.regular), ("directories", src.dirs, dst.dirs),
                        ("symlinks", src.links, dst.links), ("bytes", src.bytes, dst.bytes),
                        ("entries in all", src.entries, dst.entries)):
        if a != b:
            out.append(f"{label}: source {a:,}, destination {b:,} ({b - a:+,})")
    return out


def judge(exit_code: int | None, changes: bytes, changes_total: int | None, *, stats: bytes,
          local: bytes, errors: bytes = b"") -> Verification:
    """Verified only if rsync exited 0, listed nothing, and both sides count the same."""
    lines = [ln for ln in decode(changes).splitlines() if ln.strip()]
    total = max(changes_total or 0, len(lines))
    src, dst = parse_stats(stats), parse_local(local)
    diffs: list[str] = []
    if exit_code != 0:
        err = [printable(ln, 200) for ln in decode(errors).splitlines() if ln.strip()]
        diffs.append(f"the check itself failed (rsync exit {exit_code})" + (f": {err[-1]}" if err else ""))
    diffs += [describe_change(ln) for ln in lines[:CHANGE_LIMIT]]
    if total > CHANGE_LIMIT:
        diffs.append(f"… and {total - CHANGE_LIMIT:,} more differences")
    if exit_code == 0:
        if src is None:
            diffs.append("rsync printed no statistics: the source's counts are unknown")
        if dst is None:
            diffs.append("the destination's counts are unknown")
        if src is not None and dst is not None:
            diffs += _count_diffs(src, dst)
    return Verification(verified=not diffs, exit_code=exit_code, differences=tuple(diffs), changes_total=total,
                        source=src, destination=dst)
