"""What the engine knows about one host, as of its last sweep."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime

from cockpit.disk.model import DiskReport
from cockpit.severity import Severity


class Reach(enum.StrEnum):
    """Can cockpit talk to the host? (``state`` in ``status --json``)."""

    PENDING = "pending"  # not swept yet; only before the first sweep, never in JSON
    UP = "up"
    UNREACHABLE = "unreachable"
    UNTRUSTED = "untrusted"
    ERROR = "error"


DOWN = frozenset({Reach.UNREACHABLE, Reach.UNTRUSTED, Reach.ERROR})
"""Hosts cockpit cannot use at all (nothing runs on them)."""


@dataclass(frozen=True)
class HostState:
    name: str
    address: str
    role: str
    reach: Reach = Reach.PENDING
    error: str | None = None  # why it is not up, or what went wrong in a probe
    disk: DiskReport | None = None  # None until the first successful disk probe
    checked_at: datetime | None = None  # when the last sweep of this host ended
    disk_at: datetime | None = None  # when ``disk`` was read (stale if reach != UP)
    fingerprint: str | None = None  # the host key's SHA256 fingerprint, when known
    notes: tuple[str, ...] = field(default=())

    @property
    def severity(self) -> Severity:
        if self.reach in (Reach.UNREACHABLE, Reach.UNTRUSTED):
            return Severity.CRITICAL
        if self.reach in (Reach.ERROR, Reach.PENDING) or self.disk is None:
            return Severity.UNKNOWN
        return self.disk.severity
