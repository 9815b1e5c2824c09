"""What the cockpit knows about one import (engine state; no I/O)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from cockpit.severity import Severity
from cockpit.transfers.verify import Verification


class TransferState(enum.StrEnum):
    NOT_STARTED = "not-started"  # a site with storage and no import yet (pane only, not in status JSON)
    SCANNING = "scanning"  # rsync is building the file list: no totals yet
    RUNNING = "running"
    STALLED = "stalled"  # alive, but no progress for [storage] stall_seconds
    FAILED = "failed"  # exited non-zero, was killed, or vanished without an exit status
    DONE = "done"  # rsync exited 0; not verified (yet)
    VERIFYING = "verifying"
    VERIFIED = "verified"
    UNVERIFIED = "unverified"  # the verification found differences, or could not run
    UNKNOWN = "unknown"  # the destination cannot be asked (host down) and nothing is known


SEVERITY = {
    TransferState.FAILED: Severity.CRITICAL,
    TransferState.UNVERIFIED: Severity.CRITICAL,
    TransferState.STALLED: Severity.WARNING,
    TransferState.UNKNOWN: Severity.UNKNOWN,
}

ACTIVE = frozenset({TransferState.SCANNING, TransferState.RUNNING, TransferState.STALLED, TransferState.VERIFYING})


@dataclass(frozen=True)
class ImportStatus:
    key: str  # site@destination-host
    site: str
    source: str  # host:path
    destination: str  # host:path
    destination_host: str
    state: TransferState
    run: str | None = None  # id of the start or resume that made this run
    exit_code: int | None = None
    reason: str | None = None  # one line: the exit code's meaning, who cancelled, how long stalled
    bytes_done: int = 0
    bytes_total: int | None = None
    files_done: int | None = None
    files_total: int | None = None
    rate_bps: float | None = None
    eta_seconds: int | None = None
    started_at: datetime | None = None
    updated_at: datetime | None = None  # last progress (log written) or when it ended
    started_by: str | None = None
    resumes: int = 0
    errors: tuple[str, ...] = ()  # rsync's last messages (escaped)
    verification: Verification | None = None
    error: str | None = None  # the destination could not be asked: what is shown is as last seen
    pid: int | None = None  # the rsync the cockpit recorded (import or verification)
    bytes_total_bounds: tuple[int | None, int | None] = (None, None)  # what the percentages prove

    @property
    def severity(self) -> Severity:
        if self.error is not None:
            return Severity.UNKNOWN if self.state is not TransferState.FAILED else Severity.CRITICAL
        return SEVERITY.get(self.state, Severity.OK)

    @property
    def active(self) -> bool:
        return self.state in ACTIVE

    @property
    def cause(self) -> str | None:
        """rsync's own words for why it stopped: the first of its last messages that is not
        its closing ``rsync error: ... (code N)`` line (that one only repeats the exit code)
        nor a ``Broken pipe`` (the other side was gone already). The first names the cause
        (``No space left on device``, ``Timeout, server ... not responding``); what follows
        are its consequences (``connection unexpectedly closed``)."""
        for line in self.errors:
            if not line.startswith("rsync error:") and not line.endswith("Broken pipe (32)"):
                return line.removeprefix("rsync: ")
        return None

    @property
    def percent(self) -> float | None:
        if self.state is TransferState.VERIFIED:
            return 100.0
        if not self.bytes_total:
            return None
        return min(100.0, 100.0 * self.bytes_done / self.bytes_total)
