"""Read the kernel log sections (dmesg, else journalctl -k): I/O-error lines and readability.

"Not readable" and "no errors" are different answers and must stay apart: a
non-root user on Debian cannot read dmesg (``kernel.dmesg_restrict=1``) nor,
outside the adm/systemd-journal groups, the system journal; both tools may
also be missing. Pure functions that never raise.
"""

from __future__ import annotations

import re

from cockpit.disk.command import KERNEL_BYTES, KERNEL_LINES
from cockpit.disk.model import KernelLog
from cockpit.disk.sections import Section
from cockpit.disk.text import text_lines
from cockpit.untrusted import decode, printable

# One line of the kernel log is an I/O-error-class line when it matches any of these.
IO_ERROR = re.compile(
    "|".join(
        (
            r"\bI/O error",  # I/O error, dev sda / Buffer I/O error / blk_update_request: I/O error
            r"\bIO errors?\b",  # JBD2: Detected IO errors while flushing file data
            r"\bEXT[234]-fs error\b",
            r"\bEXT[234]-fs \([^)]{0,64}\): (?:Remounting filesystem read-only|This should not happen)",
            r"\bAborting journal on device\b",
            r"\bcritical (?:medium|target|nexus|space allocation|protection) error\b",
            r"\bMedium Error\b",
            r"\bUnrecovered read error\b",
            r"\brejecting I/O to offline device\b",
            r"\bmd/raid\d*:[^:\s]{1,64}: (?:Disk failure|Operation continuing on)",
            r"\bXFS \([^)]{0,64}\):.{0,200}?(?:error|corrupt|shut ?down)",
            r"\bBTRFS(?: error| critical|: error)\b",
            r"\bBTRFS\b.{0,200}?\b(?:forced readonly|csum failed|checksum error)",
            r"\bata\d{1,4}(?:\.\d{1,3})?: failed command: (?:READ|WRITE)",
            r"\bnvme\S{0,32}:? (?:I/O \d+ (?:\(\S+\) )?QID \d+ timeout|controller is down)",
        )
    ),
    re.IGNORECASE,
)
# ... and it says the filesystem can no longer be written: the finding becomes critical.
READ_ONLY = re.compile(
    r"Remounting filesystem read-only|remounted read-only|forced readonly"
    r"|Filesystem has been shut down|xfs_do_force_shutdown|Shutting down filesystem",
    re.IGNORECASE,
)
# journalctl's ways of saying "you cannot see the system's messages" (stdout or stderr).
_JOURNAL_BLIND = re.compile(
    r"No journal files were (?:found|opened)|insufficient permissions"
    r"|not seeing messages from other users and the system",
    re.IGNORECASE,
)
_SCAN_LIMIT = 4096  # characters of a line that are classified (a kernel line is ~1 KiB at most)
_TEXT_LIMIT = 262144  # the command sends at most 64 KiB; more is not our script: keep the newest part


def is_io_error(line: str) -> bool:
    return IO_ERROR.search(line[:_SCAN_LIMIT]) is not None


def says_read_only(line: str) -> bool:
    return READ_ONLY.search(line[:_SCAN_LIMIT]) is not None


def parse_kernel_log(dmesg: Section | None, journal: Section | None) -> KernelLog:
    """The kernel log from whichever source worked (dmesg first)."""
    if dmesg is not None and dmesg.ok:
        return _count(dmesg.stdout, "dmesg")
    if journal is not None and journal.ok and not _JOURNAL_BLIND.search(decode(journal.stderr + journal.stdout)):
        return _count(journal.stdout, "journalctl")
    return KernelLog(readable=False, error=_why_unreadable(dmesg, journal))


def newest_lines(text: bytes | str) -> list[str]:
    """The newest :data:`KERNEL_LINES` whole lines of a kernel log section.

    The probe sends the log's newest :data:`KERNEL_BYTES` (``tail -c``): when it
    sent that many, its first line may be the end of a longer one, and goes."""
    lines = text_lines(text[-_TEXT_LIMIT:])
    if len(text) >= KERNEL_BYTES:
        lines = lines[1:]
    while lines and not lines[-1]:
        lines.pop()
    return lines[-KERNEL_LINES:]


def _count(text: bytes | str, source: str | None) -> KernelLog:
    count = 0
    latest: str | None = None
    read_only = False
    for line in newest_lines(text):
        if line.startswith("-- ") or not is_io_error(line):  # "-- No entries --", "-- Boot ... --"
            continue
        count += 1
        latest = printable(line.strip())
        read_only = read_only or says_read_only(line)
    return KernelLog(readable=True, count=count, latest=latest, source=source, remounted_read_only=read_only)


def _why_unreadable(dmesg: Section | None, journal: Section | None) -> str:
    reasons = [r for r in (_failure("dmesg", dmesg), _failure("journalctl", journal)) if r]
    return "; ".join(reasons) or "kernel log not in the probe output"


def _failure(tool: str, sec: Section | None) -> str | None:
    if sec is None:
        return None
    if sec.exit_status is None:
        return f"{tool}: output cut off"
    if sec.exit_status == 127:
        return f"{tool}: not installed"
    said = next((line.strip() for line in text_lines(sec.stderr + b"\n" + sec.stdout) if line.strip()), "")
    said = said.removeprefix(f"{tool}:").strip()
    status = "" if sec.exit_status == 0 else f" (exit status {sec.exit_status})"
    return printable(f"{tool}{status}: {said}" if said else f"{tool}{status}", 200)
