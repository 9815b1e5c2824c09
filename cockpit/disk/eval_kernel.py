"""Judge the kernel log finding."""

from __future__ import annotations

from dataclasses import replace

from cockpit.disk.model import KernelLog
from cockpit.severity import Severity


def judge_kernel(log: KernelLog) -> KernelLog:
    """Unreadable: UNKNOWN (the host's severity ignores it, see cockpit.disk.evaluate).

    Any I/O-error-class line is a WARNING; a line saying a filesystem was
    remounted or forced read-only (or shut down) makes it CRITICAL. The log
    holds everything since boot, so an old error keeps the warning until the
    host reboots or someone clears the ring buffer (``dmesg -C``).
    """
    if not log.readable:
        return replace(log, severity=Severity.UNKNOWN, reasons=(f"kernel log not readable: {log.error or '?'}",))
    if log.count == 0:
        return replace(log, severity=Severity.OK, reasons=())
    lines = f"{log.count} I/O error line{'s' if log.count != 1 else ''} in the kernel log"
    if log.remounted_read_only:
        return replace(log, severity=Severity.CRITICAL, reasons=(lines, "a filesystem was made read-only"))
    return replace(log, severity=Severity.WARNING, reasons=(lines,))
