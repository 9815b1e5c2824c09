"""DNS changes the cockpit made, kept in the engine's state file under
``dns_changes`` (one per site: the latest), so a restarted cockpit still knows
when the old answers it replaced expire."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from cockpit.dns.model import DnsChange
from cockpit.engine.statefile import StateFile

KEY = "dns_changes"


def record(sf: StateFile, change: DnsChange) -> None:
    at = change.at.astimezone(UTC).isoformat().replace("+00:00", "Z")  # to the microsecond: "done by" is exact
    entry = {"name": change.name, "at": at, "old_addresses": list(change.old_addresses),
             "new_addresses": list(change.new_addresses), "old_ttl": change.old_ttl}

    def apply(state: dict[str, Any]) -> None:
        section = state.get(KEY)
        if not isinstance(section, dict):
            section = state[KEY] = {}
        section[change.site] = entry

    sf.update(apply)


def _parse_time(text: Any) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def read(state: dict[str, Any]) -> dict[str, DnsChange]:
    """Every recorded change (entries a human broke are skipped, never fatal)."""
    section = state.get(KEY)
    out: dict[str, DnsChange] = {}
    if not isinstance(section, dict):
        return out
    for site, e in section.items():
        if not isinstance(e, dict):
            continue
        at, ttl = _parse_time(e.get("at")), e.get("old_ttl")
        if at is None or not isinstance(ttl, int) or isinstance(ttl, bool):
            continue
        out[str(site)] = DnsChange(site=str(site), name=str(e.get("name", "")), at=at,
                                   old_addresses=tuple(str(x) for x in e.get("old_addresses") or ()),
                                   new_addresses=tuple(str(x) for x in e.get("new_addresses") or ()),
                                   old_ttl=ttl)
    return out
