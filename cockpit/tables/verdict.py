"""A site's state and severity from its tables (pure).

* state: ``unreachable`` (its server could not be reached) > ``corrupt`` (a
  corrupt or suspect table) > ``unknown`` (not every table has a fresh result,
  or the login/database failed) > ``checking`` (first check running) > ``ok``.
* severity: critical for a corrupt or suspect table (fresh or stale: a known
  corruption is not forgotten because the server went away); unknown when the
  site cannot be vouched for; warning for tables with warnings; else ok.
* a result is stale when a later attempt failed, or when it is older than
  ``stale_after`` (re-checks stopped happening).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from cockpit.severity import Severity
from cockpit.tables.model import SiteState, SiteStateName, TableState, TableStatus


@dataclass(frozen=True)
class Verdict:
    state: SiteStateName
    severity: Severity
    corrupt: tuple[str, ...]  # names of corrupt and suspect tables
    checked: int  # tables with a result
    total: int


def is_stale(t: TableState, now: datetime, stale_after: float | None) -> bool:
    if t.stale:
        return True
    at = t.checked_at
    return at is not None and stale_after is not None and now - at > timedelta(seconds=stale_after)


def fresh_until(site: SiteState, stale_after: float | None) -> datetime | None:
    """Until when none of the site's results grows stale with time, as :func:`is_stale` has it (None:
    never; a result stale already stays so whatever the time). A verdict holds until then, or until the
    site changes."""
    if stale_after is None:
        return None
    times = [t.checked_at for t in site.tables.values() if not t.stale and t.checked_at is not None]
    return min(times) + timedelta(seconds=stale_after) if times else None


def verdict(site: SiteState, now: datetime, stale_after: float | None = None) -> Verdict:
    tables = list(site.tables.values())
    corrupt = tuple(sorted(n for n, t in site.tables.items() if t.status.bad))
    checked = sum(1 for t in tables if t.check is not None and t.status is not TableStatus.UNKNOWN)
    unknown = any(t.status in (TableStatus.UNKNOWN, TableStatus.UNCHECKED) or is_stale(t, now, stale_after)
                  for t in tables)
    warnings = any(t.status is TableStatus.WARNING for t in tables)
    never = site.checked_at is None and not any(t.check is not None for t in tables)
    if site.error is not None and site.unreachable:
        state = SiteStateName.UNREACHABLE
    elif corrupt:
        state = SiteStateName.CORRUPT
    elif site.checking and (never or any(t.status is TableStatus.UNCHECKED for t in tables)):
        state = SiteStateName.CHECKING  # a first check under way (a re-check keeps showing the last results)
    elif site.error is not None or unknown or never:
        state = SiteStateName.UNKNOWN
    else:
        state = SiteStateName.OK
    if corrupt:
        sev = Severity.CRITICAL
    elif state is not SiteStateName.OK:
        sev = Severity.UNKNOWN
    elif warnings:
        sev = Severity.WARNING
    else:
        sev = Severity.OK
    return Verdict(state, sev, corrupt, checked, len(tables))
