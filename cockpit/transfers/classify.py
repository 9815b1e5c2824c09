"""One import's state from what its state directory says (pure).

Order of precedence: a live verification, a live rsync (scanning, running or
stalled), a finished verification newer than the import, the import's exit
status, a job that is still starting, and last an import that vanished
without an exit status (the host rebooted, or someone killed the job).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from cockpit.transfers import exitcodes, progress, verify
from cockpit.transfers.dump import RawImport
from cockpit.transfers.model import ImportStatus, TransferState
from cockpit.untrusted import decode, load_json, printable

ERROR_LINES = 6


def _fields(raw: bytes | None) -> list[str]:
    return decode(raw or b"").split()


def _stamp(raw: bytes | None) -> tuple[int | None, int | None]:
    """``STATUS EPOCH`` (exit files) or ``PID STARTTIME EPOCH`` -> (first, last)."""
    parts = _fields(raw)
    nums = [int(p) if p.isdigit() and len(p) < 19 else None for p in parts]
    if not nums:
        return None, None
    return nums[0], nums[-1] if len(nums) > 1 else None


def _epoch(value: int | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(value, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _iso(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        t = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def meta_of(raw: RawImport) -> dict[str, Any]:
    data = load_json(raw.files.get("meta.json", b"") or b"{}")
    return data if isinstance(data, dict) else {}


def _text(value: Any, limit: int = 200) -> str | None:
    return printable(value, limit) if isinstance(value, str) else None


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else 0


def error_lines(raw: bytes | None) -> tuple[str, ...]:
    lines = [printable(ln, 300) for ln in decode(raw or b"").splitlines() if ln.strip()]
    return tuple(lines[-ERROR_LINES:])


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 7200:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60} min"


def classify(raw: RawImport, *, now: int | None, stall_seconds: float, key: str, destination_host: str,
             bounds: tuple[int | None, int | None] = (None, None)) -> ImportStatus:
    """``bounds``: what earlier polls learnt of the total size (tightened here)."""
    meta = meta_of(raw)
    f = raw.files
    exit_code, exit_at = _stamp(f.get("exit"))
    vexit, vexit_at = _stamp(f.get("verify.exit"))
    pid, _ = _stamp(f.get("pid"))
    vpid, _ = _stamp(f.get("verify.pid"))
    log = f.get("log", b"")
    prog = progress.parse(log)
    cancelled = _fields(f.get("cancelled"))
    cancelled_by = printable(" ".join(cancelled[1:]), 120) if len(cancelled) > 1 else None
    base = ImportStatus(
        key=key, site=raw.site,
        source=_text(meta.get("source")) or "?",
        destination=_text(meta.get("destination")) or f"{destination_host}:?",
        destination_host=destination_host,
        state=TransferState.UNKNOWN,
        run=_text(meta.get("run"), 40),
        started_at=_iso(meta.get("started_at")),
        started_by=_text(meta.get("started_by"), 120),
        resumes=_count(meta.get("resumes")),
        errors=error_lines(f.get("err")),
        updated_at=_epoch(raw.log_mtime),
        pid=pid,
    )
    low, high = bounds
    if prog is not None:
        low, high = merge_bounds((low, high), (prog.bytes_total_low, prog.bytes_total_high))
        base = replace(base, bytes_done=prog.bytes_done,
                       bytes_total=progress.estimate_total(low, high, prog.bytes_done),
                       files_done=prog.files_done, files_total=prog.files_total)
    base = replace(base, bytes_total_bounds=(low, high))
    verification_newer = vexit is not None and (exit_at is None or (vexit_at or 0) >= exit_at)

    if "verify.pid" in raw.alive:
        return replace(base, state=TransferState.VERIFYING, pid=vpid, exit_code=exit_code,
                       reason="checking every file against the source (rsync --checksum --dry-run)")
    if "pid" in raw.alive:
        if prog is None or prog.scanning:
            return replace(base, state=TransferState.SCANNING, reason="building the file list")
        quiet = (now - raw.log_mtime) if now is not None and raw.log_mtime is not None else 0
        running = replace(base, rate_bps=prog.rate_bps, eta_seconds=prog.eta_seconds)
        if quiet > stall_seconds:
            return replace(running, state=TransferState.STALLED, rate_bps=0.0, eta_seconds=None,
                           reason=f"no progress for {_duration(quiet)}")
        return replace(running, state=TransferState.RUNNING)
    if verification_newer:
        v = verify.judge(vexit, f.get("verify.changes", b""), raw.changes, stats=f.get("verify.stats", b""),
                         local=f.get("verify.local", b""), errors=f.get("verify.err", b""))
        done = _finished(base, v, vexit_at, complete=exit_code == 0)
        if v.verified:
            return replace(done, state=TransferState.VERIFIED, reason=v.summary, exit_code=exit_code)
        reason = f"verification stopped by {cancelled_by}" if cancelled_by and vexit == 20 else v.summary
        return replace(done, state=TransferState.UNVERIFIED, reason=reason, exit_code=exit_code)
    if exit_code is not None:
        base = replace(base, exit_code=exit_code, updated_at=_epoch(exit_at) or base.updated_at)
        if exit_code == 0:
            done = _finished(base, None, exit_at, complete=True)
            if "job.pid" in raw.alive:
                return replace(done, state=TransferState.VERIFYING, reason="starting the verification")
            why = f"verification stopped by {cancelled_by}" if cancelled_by else "not verified yet"
            return replace(done, state=TransferState.DONE, reason=why)
        if cancelled_by and exit_code in (20, 143):
            return replace(base, state=TransferState.FAILED, reason=f"cancelled by {cancelled_by}")
        return replace(base, state=TransferState.FAILED, reason=f"{exit_code}: {exitcodes.meaning(exit_code)}")
    if "job.pid" in raw.alive and f.get("pid"):  # rsync has just ended: its status is being written
        return replace(base, state=TransferState.RUNNING, reason="rsync ended; recording its exit status")
    if "job.pid" in raw.alive:
        return replace(base, state=TransferState.SCANNING, reason="starting")
    if not f.get("job.pid"):
        return replace(base, state=TransferState.FAILED, reason="never started (no job recorded)")
    return replace(base, state=TransferState.FAILED,
                   reason="interrupted: the job ended without an exit status (host rebooted or job killed)")


def merge_bounds(a: tuple[int | None, int | None], b: tuple[int | None, int | None]) -> tuple[int | None, int | None]:
    """Intersect two (low, high) bounds on the total size; ``b`` (newer) wins if they disagree."""
    lows = [x for x in (a[0], b[0]) if x is not None]
    highs = [x for x in (a[1], b[1]) if x is not None]
    low, high = (max(lows) if lows else None), (min(highs) if highs else None)
    if low is not None and high is not None and low > high:
        return b
    return low, high


def _finished(base: ImportStatus, v: verify.Verification | None, at: int | None, *,
              complete: bool) -> ImportStatus:
    """An import that ended: rsync exited 0 (``complete``: every file handled), or was checked.
    A check counted both sides: what is done is then what the destination holds (a file
    missing there shows as 2,036 / 2,037, not as a full bar)."""
    src = v.source if v is not None else None
    dst = v.destination if v is not None else None
    total = src.bytes if src is not None else max(base.bytes_done, base.bytes_total or 0)
    files = src.entries if src is not None else base.files_total
    done_files = files if complete or (v is not None and v.verified) else base.files_done
    done_bytes = total if complete or (v is not None and v.verified) else base.bytes_done
    if src is not None and dst is not None:
        done_files, done_bytes = dst.entries, dst.bytes
    return replace(base, verification=v, bytes_total=total, bytes_done=done_bytes, files_total=files,
                   files_done=done_files, updated_at=_epoch(at) or base.updated_at, rate_bps=None,
                   eta_seconds=None)
