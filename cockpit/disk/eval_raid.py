"""Judge each md array from /proc/mdstat."""

from __future__ import annotations

from cockpit.disk.model import RaidArray, RaidStatus
from cockpit.severity import Severity, worst

# A periodic "check" (Debian's checkarray, monthly) is routine; a repair or rebuild is not.
_ROUTINE = ("check",)


def judge_raid(arrays: tuple[RaidArray, ...]) -> tuple[RaidStatus, ...]:
    """Missing or failed members and inactive arrays are critical; resync/recovery/reshape a warning.

    Both rules apply at once: a degraded mirror that is rebuilding is critical
    (it has no redundancy until the rebuild ends) and shows its progress.
    Worst first.
    """
    out = [_judge(a) for a in arrays]
    return tuple(sorted(out, key=lambda r: (-r.severity.rank, r.device)))


def _judge(a: RaidArray) -> RaidStatus:
    findings: list[tuple[Severity, str]] = []
    if a.container:
        findings.append((Severity.OK, "external-metadata container"))
    elif a.state == "inactive":
        findings.append((Severity.CRITICAL, "array inactive (not running)"))
    else:
        if a.members_total is not None and a.members_up is not None and a.members_up < a.members_total:
            missing = a.members_total - a.members_up
            findings.append((Severity.CRITICAL, f"{missing} of {a.members_total} members missing"))
        if a.failed_members:
            findings.append((Severity.CRITICAL, "failed: " + ", ".join(a.failed_members)))
        if a.sync_action is not None:
            sev = Severity.OK if a.sync_action in _ROUTINE else Severity.WARNING
            if a.progress_percent is not None:
                findings.append((sev, f"{a.sync_action} {a.progress_percent:g}%"))
            else:
                findings.append((sev, f"{a.sync_action} {a.sync_waiting or 'waiting'}"))
    return RaidStatus(
        device=a.device,
        level=a.level,
        members_total=a.members_total,
        members_up=a.members_up,
        state=a.state,
        progress_percent=a.progress_percent,
        severity=worst(s for s, _ in findings),
        failed_members=a.failed_members,
        reasons=tuple(r for _, r in findings),
        spare_members=a.spare_members,
    )
