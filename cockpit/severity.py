"""Severities shared by every probe, with Nagios-style exit codes.

Ordering for "worst": ok < warning < unknown < critical. A critical finding
(a read-only root, a corrupt table, a host that is gone) outranks not knowing,
because it is something the on-call engineer must act on now.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable


class Severity(enum.StrEnum):
    OK = "ok"
    WARNING = "warning"
    UNKNOWN = "unknown"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def exit_code(self) -> int:
        """Nagios plugin exit code: 0 ok, 1 warning, 2 critical, 3 unknown."""
        return _EXIT[self]


_RANK = {Severity.OK: 0, Severity.WARNING: 1, Severity.UNKNOWN: 2, Severity.CRITICAL: 3}
_EXIT = {Severity.OK: 0, Severity.WARNING: 1, Severity.CRITICAL: 2, Severity.UNKNOWN: 3}


def worst(severities: Iterable[Severity], default: Severity = Severity.OK) -> Severity:
    """The worst severity of ``severities`` (``default`` when there are none)."""
    result: Severity | None = None
    for sev in severities:
        if result is None or sev.rank > result.rank:
            result = sev
    return default if result is None else result


def at_least(sev: Severity, floor: Severity) -> Severity:
    return sev if sev.rank >= floor.rank else floor
