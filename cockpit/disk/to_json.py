"""DiskReport parts -> the ``status --json`` dicts (a contract: add keys, never rename)."""

from __future__ import annotations

from typing import Any

from cockpit.disk.model import KernelLog, MountStatus, RaidStatus


def mount_json(m: MountStatus) -> dict[str, Any]:
    return {
        "mountpoint": m.mountpoint,
        "device": m.device,
        "fstype": m.fstype,
        "read_only": m.read_only,
        "expected_read_only": m.expected_read_only,
        "used_percent": m.used_percent,
        "inodes_used_percent": m.inodes_used_percent,
        "severity": m.severity.value,
        "missing": m.missing,
        "expected_by": list(m.expected_by),
        "reasons": list(m.reasons),
    }


def raid_json(r: RaidStatus) -> dict[str, Any]:
    return {
        "device": r.device,
        "level": r.level,
        "members_total": r.members_total,
        "members_up": r.members_up,
        "state": r.state,
        "progress_percent": r.progress_percent,
        "severity": r.severity.value,
        "failed_members": list(r.failed_members),
        "spare_members": list(r.spare_members),
        "reasons": list(r.reasons),
    }


def kernel_json(k: KernelLog) -> dict[str, Any]:
    return {
        "readable": k.readable,
        "count": k.count,
        "latest": k.latest,
        "source": k.source,
        "error": k.error,
        "severity": k.severity.value,
        "remounted_read_only": k.remounted_read_only,
        "reasons": list(k.reasons),
    }
