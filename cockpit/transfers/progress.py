"""Parse rsync ``--info=progress2`` output (a pure function over bytes).

rsync separates updates with ``\\r`` and ends with ``\\n``::

         21,573,638  10%   19.56MB/s    0:00:08
         39,472,307  19%   19.85MB/s    0:00:01 (xfr#399, to-chk=1617/2021)

* The time column is the ETA on plain lines and the elapsed time on lines
  that carry ``(xfr#...)``.
* ``to-chk=LEFT/TOTAL``: TOTAL entries (files, dirs, links) of which LEFT are
  still to check. With ``--no-inc-recursive`` TOTAL is stable; without it
  rsync prints ``ir-chk=`` and the total keeps growing.
* The percentage is ``floor(100 * done / total)`` of the bytes, which bounds
  the total size: ``100*done/(pct+1) < total <= 100*done/pct``.

The cockpit reads the tail of the log, so the first record may be cut off;
anything that is not a whole record is skipped, never guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_RECORD = re.compile(
    rb"^\s*(?P<bytes>\d[\d,.]*)(?P<bsuffix>[KMGTP]?)\s+(?P<pct>\d{1,3})%"
    rb"\s+(?P<rate>\d[\d,.]*)(?P<unit>[kKMGTP]?B)/s"
    rb"\s+(?P<time>\d+:\d{2}:\d{2}|\d+:\d{2}|\?\?:\?\?:\?\?)"
    rb"(?:\s+\(xfr#(?P<xfr>\d+),\s*(?P<chk>ir|to)-chk=(?P<left>\d+)/(?P<total>\d+)\))?\s*$"
)
_UNIT = {b"B": 1, b"kB": 1024, b"KB": 1024, b"MB": 1024**2, b"GB": 1024**3, b"TB": 1024**4, b"PB": 1024**5}
_SUFFIX = {b"": 1, b"K": 1024, b"M": 1024**2, b"G": 1024**3, b"T": 1024**4, b"P": 1024**5}
MAX_RECORD = 200  # a record is about 80 bytes; longer "records" are garbage


@dataclass(frozen=True)
class Record:
    """One progress2 update."""

    bytes_done: int
    percent: int
    rate_bps: float
    seconds: int | None  # elapsed (xfr lines) or ETA (others); None for ??:??:??
    xfr: int | None = None  # files transferred so far (xfr lines only)
    files_left: int | None = None
    files_total: int | None = None
    incremental: bool = False  # ir-chk: the file list is still growing

    @property
    def is_xfr(self) -> bool:
        return self.xfr is not None

    @property
    def files_done(self) -> int | None:
        if self.files_total is None or self.files_left is None:
            return None
        return self.files_total - self.files_left


@dataclass(frozen=True)
class Progress:
    """What the latest output says about an import."""

    bytes_done: int
    percent: int
    rate_bps: float
    files_done: int | None
    files_total: int | None
    files_total_stable: bool
    eta_seconds: int | None
    elapsed_seconds: int | None  # as of the last file transferred
    bytes_total_low: int | None  # bounds on the total size, from the percentages seen
    bytes_total_high: int | None
    records: int

    @property
    def bytes_total(self) -> int | None:
        """Best estimate of the total size (exact once the bounds meet)."""
        return estimate_total(self.bytes_total_low, self.bytes_total_high, self.bytes_done)

    @property
    def scanning(self) -> bool:
        """Nothing moved yet: rsync is still building the file list."""
        return self.bytes_done == 0 and self.files_total is None


def estimate_total(low: int | None, high: int | None, done: int) -> int | None:
    """The middle of the bounds on the total size, never below what is done."""
    if high is None:
        return None
    lo = low if low is not None else high
    return max(done, (lo + high) // 2)


def _number(raw: bytes, suffix: bytes = b"") -> float:
    text = raw.replace(b",", b"")
    if text.count(b".") > 1:  # "1.234.567": a locale's thousands separator
        text = text.replace(b".", b"")
    return float(text) * _SUFFIX.get(suffix, 1)


def _seconds(raw: bytes) -> int | None:
    if raw.startswith(b"?"):
        return None
    parts = [int(p) for p in raw.split(b":")]
    total = 0
    for p in parts:
        total = total * 60 + p
    return total


def parse_record(raw: bytes) -> Record | None:
    """One record, or None when ``raw`` is not a whole progress2 record."""
    if len(raw) > MAX_RECORD:
        return None
    m = _RECORD.match(raw)
    if m is None:
        return None
    pct = int(m["pct"])
    if pct > 100:
        return None
    rate = _number(m["rate"]) * _UNIT.get(m["unit"], 1)
    total = int(m["total"]) if m["total"] is not None else None
    left = int(m["left"]) if m["left"] is not None else None
    if total is not None and left is not None and left > total:
        return None
    return Record(
        bytes_done=int(_number(m["bytes"], m["bsuffix"])),
        percent=pct,
        rate_bps=rate,
        seconds=_seconds(m["time"]),
        xfr=int(m["xfr"]) if m["xfr"] is not None else None,
        files_left=left,
        files_total=total,
        incremental=m["chk"] == b"ir",
    )


def records(data: bytes) -> list[Record]:
    """Every whole record in ``data`` (a log or its tail), oldest first.

    rsync starts every record with ``\r``, so a log starts at a boundary. When
    ``data`` does not (a tail cut anywhere), its first piece is dropped even if
    it looks whole: ``9,472,307  19%`` may be the end of ``39,472,307  19%``."""
    if not data:
        return []
    pieces = re.split(rb"[\r\n]", data)
    out: list[Record] = []
    for i, piece in enumerate(pieces):
        if i == 0 and not data.startswith((b"\r", b"\n")):
            continue
        rec = parse_record(piece)
        if rec is not None:
            out.append(rec)
    return out


def summarize(recs: list[Record]) -> Progress | None:
    """The import's progress from its records (None: no record yet)."""
    if not recs:
        return None
    last = recs[-1]
    files_done = files_total = None
    stable = True
    xfr_recs = [r for r in recs if r.files_total is not None]
    if xfr_recs:
        lx = xfr_recs[-1]
        files_total, files_done = lx.files_total, lx.files_done
        stable = not lx.incremental
    low: int | None = None
    high: int | None = None
    for r in recs:
        if r.percent <= 0 or r.bytes_done <= 0 or (r.incremental and r is not last):
            continue  # an ir-chk total grows: only the latest percentage means anything
        lo = r.bytes_done * 100 // (r.percent + 1) + 1
        hi = r.bytes_done * 100 // r.percent
        low = lo if low is None else max(low, lo)
        high = hi if high is None else min(high, hi)
    if low is not None and high is not None and low > high:  # inconsistent samples (a restart): latest wins
        low = high = None
        if last.percent > 0:
            low, high = last.bytes_done * 100 // (last.percent + 1) + 1, last.bytes_done * 100 // last.percent
    eta: int | None
    elapsed: int | None = None
    if last.is_xfr:  # the time column is the elapsed time: ETA from the size left and the rate
        elapsed = last.seconds
        total = estimate_total(low, high, last.bytes_done)
        eta = int((total - last.bytes_done) / last.rate_bps) if total is not None and last.rate_bps > 0 else None
    else:
        eta = last.seconds
    return Progress(
        bytes_done=last.bytes_done,
        percent=last.percent,
        rate_bps=last.rate_bps,
        files_done=files_done,
        files_total=files_total,
        files_total_stable=stable,
        eta_seconds=eta,
        elapsed_seconds=elapsed,
        bytes_total_low=low,
        bytes_total_high=high,
        records=len(recs),
    )


def parse(data: bytes) -> Progress | None:
    """Progress from a progress2 log (or the tail of one)."""
    return summarize(records(data))
