"""The fleet summary the header shows: hosts up, unreachable, critical..."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cockpit.engine.hoststate import HostState, Reach
from cockpit.severity import Severity, worst


@dataclass(frozen=True)
class FleetSummary:
    total: int
    up: int
    unreachable: int
    untrusted: int
    error: int
    pending: int
    critical: int
    warning: int
    severity: Severity


def summarize(hosts: Iterable[HostState]) -> FleetSummary:
    hs = list(hosts)
    reach = [h.reach for h in hs]
    sev = [h.severity for h in hs]
    return FleetSummary(
        total=len(hs),
        up=reach.count(Reach.UP),
        unreachable=reach.count(Reach.UNREACHABLE),
        untrusted=reach.count(Reach.UNTRUSTED),
        error=reach.count(Reach.ERROR),
        pending=reach.count(Reach.PENDING),
        critical=sev.count(Severity.CRITICAL),
        warning=sev.count(Severity.WARNING),
        severity=worst(sev),
    )
