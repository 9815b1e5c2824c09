"""The ``hosts`` part of ``status --json`` (a contract: add keys, never rename)."""

from __future__ import annotations

from typing import Any

from cockpit import clock
from cockpit.disk.to_json import kernel_json, mount_json, raid_json
from cockpit.engine.hoststate import HostState, Reach


def host_json(h: HostState) -> dict[str, Any]:
    d = h.disk
    return {
        "name": h.name,
        "address": h.address,
        "role": h.role,
        "state": (Reach.ERROR if h.reach == Reach.PENDING else h.reach).value,
        "error": h.error,
        "severity": h.severity.value,
        "mounts": [] if d is None else [mount_json(m) for m in d.mounts],
        "raid": [] if d is None else [raid_json(r) for r in d.raid],
        "kernel_errors": None if d is None else kernel_json(d.kernel),
        "checked_at": clock.iso(h.checked_at),
        "disk_checked_at": clock.iso(h.disk_at),
        "host_key_fingerprint": h.fingerprint,
        "probe_errors": [] if d is None else list(d.errors),
    }
