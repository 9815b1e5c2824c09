"""The TTL a failover lowered, remembered across a crash.

failover-site with ``[dns] failover_ttl`` lowers a longer TTL first (same
addresses), then changes the address. If the cockpit dies between the two,
the server answers the SHORT TTL, and a re-run reading it would take it for
"the old TTL": "done by" would count with seconds while caches may hold the old
answer for the original TTL, and the rollback would name the wrong TTL to set
back. So the lowering step writes the original TTL into the engine's state
file (``ttl_lowered``, one entry per site) BEFORE it sends the update, and a
re-run's plan reads it back.

An entry counts only for the same addresses (after the move it says nothing)
and until the original TTL has run out since the lowering (by then no cache
holds the old answer with it); the address change removes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from cockpit import clock
from cockpit.engine.statefile import StateFile

KEY = "ttl_lowered"


def remember(sf: StateFile, site: str, name: str, addresses: Sequence[str], *, original: int, lowered: int) -> None:
    """Before lowering: ``original`` is what caches may hold (an earlier, larger record is kept)."""
    now = clock.now()

    def apply(state: dict[str, Any]) -> None:
        section = state.get(KEY)
        if not isinstance(section, dict):
            section = state[KEY] = {}
        earlier = _valid(section.get(site), addresses, now)
        keep = max(original, earlier) if earlier is not None else original
        section[site] = {"name": name, "addresses": sorted(addresses), "original_ttl": keep, "lowered_to": lowered,
                         "at": clock.iso(now)}

    sf.update(apply)


def original_ttl(state: dict[str, Any], site: str, addresses: Sequence[str]) -> int | None:
    """The TTL before a lowering of ``site``'s records that still matters, or None."""
    section = state.get(KEY)
    entry = section.get(site) if isinstance(section, dict) else None
    return _valid(entry, addresses, clock.now())


def forget(sf: StateFile, site: str) -> None:
    def apply(state: dict[str, Any]) -> None:
        section = state.get(KEY)
        if isinstance(section, dict):
            section.pop(site, None)

    sf.update(apply)


def _valid(entry: Any, addresses: Sequence[str], now: datetime) -> int | None:
    """An entry's original TTL if it is for these addresses and not run out (entries a human broke: None)."""
    if not isinstance(entry, dict) or entry.get("addresses") != sorted(addresses):
        return None
    ttl, at = entry.get("original_ttl"), entry.get("at")
    if not isinstance(ttl, int) or isinstance(ttl, bool) or not isinstance(at, str):
        return None
    try:
        when = datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        return None
    return ttl if now < when + timedelta(seconds=ttl) else None
