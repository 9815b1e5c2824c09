"""Import states for UI tests: what the transfers engine would hold after a poll
(rendering inputs, not a fake server; the lab tests drive real imports)."""

from __future__ import annotations

from datetime import timedelta

from ui_states import NOW

from cockpit.transfers.model import ImportStatus, TransferState
from cockpit.transfers.verify import Verification

MiB = 1024 * 1024
STARTED = NOW - timedelta(minutes=4)
POLLED = NOW - timedelta(seconds=1)


def imp(site: str, state: TransferState, *, dest: str = "standby1", done: int = 0, total: int | None = None,
        files: tuple[int | None, int | None] = (None, None), rate: float | None = None, eta: int | None = None,
        reason: str | None = None, exit_code: int | None = None, error: str | None = None,
        verification: Verification | None = None, errors: tuple[str, ...] = ()) -> ImportStatus:
    return ImportStatus(key=f"{site}@{dest}", site=site, source=f"backup1:/backup/storage/{site}",
                        destination=f"{dest}:/storage/{site}", destination_host=dest, state=state, run="r-" + site,
                        exit_code=exit_code, reason=reason, bytes_done=done, bytes_total=total,
                        files_done=files[0], files_total=files[1], rate_bps=rate, eta_seconds=eta,
                        started_at=STARTED, updated_at=POLLED, started_by="oncall@laptop (pid 4242)",
                        errors=errors, verification=verification, error=error)


def mixed_imports() -> list[ImportStatus]:
    diff = Verification(verified=False, exit_code=0, changes_total=2, source=None, destination=None,
                        differences=("missing on the destination: file mail/2024-03/00412 ticket 412.eml",
                                     "differs (checksum): file attachments/scans/scan 1 büro.pdf"))
    return [
        imp("verified1", TransferState.VERIFIED, done=25 * MiB, total=25 * MiB, files=(1519, 1519),
            reason="no differences: every file present and identical (checksums)"),
        imp("running1", TransferState.RUNNING, done=12 * MiB, total=25 * MiB, files=(700, 1519), rate=4 * MiB,
            eta=3),
        imp("scanning1", TransferState.SCANNING, reason="building the file list"),
        imp("stalled1", TransferState.STALLED, done=5 * MiB, total=25 * MiB, files=(300, 1519), rate=0.0,
            reason="no progress for 75 s"),
        imp("diskfull", TransferState.FAILED, done=9 * MiB, total=25 * MiB, files=(512, 1519), exit_code=11,
            reason="11: error in file I/O (disk full? read-only?)",
            errors=('rsync: [receiver] write failed on "/storage/diskfull/x.eml": No space left on device (28)',)),
        imp("[bold red]evil[/]", TransferState.UNVERIFIED, done=25 * MiB, total=25 * MiB, files=(1519, 1519),
            verification=diff, reason=diff.differences[0]),
        imp("idle", TransferState.NOT_STARTED),
    ]
