"""Disk-sweep problems: hosts that are gone, then bad mounts, RAID and kernel logs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from cockpit.engine.hoststate import Reach
from cockpit.problems.model import Problem
from cockpit.severity import Severity

if TYPE_CHECKING:
    from cockpit.engine.engine import Engine

_BAD = (Severity.WARNING, Severity.UNKNOWN, Severity.CRITICAL)


def disk_problems(engine: Engine) -> Iterator[Problem]:
    for h in engine.hosts.values():
        if h.reach is Reach.PENDING:
            continue
        if h.reach is not Reach.UP:
            yield Problem(h.severity, "disks", h.name, f"{h.reach.value}: {h.error or '?'}", f"host/{h.name}/reach")
            continue
        if h.disk is None:
            continue
        for m in h.disk.mounts:
            if m.severity in _BAD:
                # its timeline fact tracks read-only/missing, not space: "since" only for those
                gone = m.missing or (m.read_only and not m.expected_read_only)
                yield Problem(m.severity, "disks", h.name, f"{m.mountpoint}: {'; '.join(m.reasons) or '?'}",
                              f"host/{h.name}/mount/{m.mountpoint}" if gone else None)
        for r in h.disk.raid:
            if r.severity in _BAD:
                yield Problem(r.severity, "disks", h.name, f"RAID {r.device}: {'; '.join(r.reasons) or r.state}",
                              f"host/{h.name}/raid/{r.device}")
        k = h.disk.kernel
        if k.readable and k.severity in _BAD:
            latest = f": {k.latest}" if k.latest else ""
            yield Problem(k.severity, "disks", h.name, f"kernel log, {k.count} I/O error lines{latest}",
                          f"host/{h.name}/kernel")
        for err in h.disk.errors:
            yield Problem(Severity.UNKNOWN, "disks", h.name, f"disk probe: {err}")
