"""The lab zone: every lab site, pointing at its host's public_ip.

The sites are those of the lab's generated inventory (``[[sites]]``, whatever
service adds them). A lab without any gets one fallback site per primary web
host (see :func:`fallback_sites`), so the DNS work has names to serve before
any other service defines sites, and picks up real ones once they exist.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from cockpit.lab.services.base import LabContext

REFRESH, RETRY, EXPIRE = 86400, 3600, 1209600
_busy = threading.local()


@dataclass(frozen=True)
class ZoneRecord:
    label: str  # relative to the zone, "@" for the apex
    rtype: str
    value: str


def relative(hostname: str, zone: str) -> str | None:
    """``acme.example.test`` in ``example.test`` -> ``acme``; None when outside the zone."""
    name, zone = hostname.rstrip(".").lower(), zone.rstrip(".").lower()
    if name == zone:
        return "@"
    if name.endswith("." + zone):
        return name[: -len(zone) - 1]
    return None


def site_hostname(site: Mapping[str, Any], zone: str) -> str:
    return str(site.get("hostname") or f"{site['name']}.{zone}")


def inventory_sites(lab: LabContext) -> list[dict[str, Any]]:
    """The ``[[sites]]`` the lab's inventory gets from every other service (not ours)."""
    from cockpit.lab import inventory_writer

    if getattr(_busy, "on", False):  # re-entered from our own fleet_inventory
        return []
    _busy.on = True
    try:
        data = inventory_writer.fleet_data(lab)  # type: ignore[arg-type]
    except Exception:
        return []
    finally:
        _busy.on = False
    sites = data.get("sites")
    return [dict(s) for s in sites if isinstance(s, Mapping) and "name" in s] if isinstance(sites, list) else []


def discovering() -> bool:
    """True while :func:`inventory_sites` asks the other services (ours must add nothing then)."""
    return bool(getattr(_busy, "on", False))


def fallback_sites(lab: LabContext) -> list[dict[str, Any]]:
    """One site per primary host (``web1`` -> site ``web1-site``), failing over to the first standby."""
    hosts = list(lab.state.hosts.values())
    standby = next((h.name for h in hosts if h.role == "standby"), None)
    out: list[dict[str, Any]] = []
    for h in hosts:
        if h.role == "primary":
            site: dict[str, Any] = {"name": f"{h.name}-site", "host": h.name}
            if standby:
                site["standby"] = standby
            out.append(site)
    return out


def lab_sites(lab: LabContext, explicit: Iterable[Mapping[str, Any]] = ()) -> list[dict[str, Any]]:
    """The sites the zone holds: the inventory's, else ``explicit``, else the fallback."""
    return inventory_sites(lab) or [dict(s) for s in explicit] or fallback_sites(lab)


def site_records(lab: LabContext, zone: str, sites: Iterable[Mapping[str, Any]]) -> list[ZoneRecord]:
    hosts = lab.state.hosts
    out: list[ZoneRecord] = []
    for s in sites:
        host = hosts.get(str(s.get("host")))
        label = relative(site_hostname(s, zone), zone)
        if host is None or label is None or not host.public_ip:
            continue
        out.append(ZoneRecord(label, "A", host.public_ip))
    return out


def render(zone: str, *, ttl: int, negative_ttl: int, nameservers: Iterable[tuple[str, str]],
           records: Iterable[ZoneRecord], serial: int | None = None) -> str:
    """A zone file. ``nameservers``: (host name, lab address) pairs, NS and glue."""
    ns = list(nameservers)
    serial = serial if serial is not None else int(time.time())
    mname = f"{ns[0][0]}.{zone}." if ns else f"ns.{zone}."
    lines = [
        f"$ORIGIN {zone}.",
        f"$TTL {ttl}",
        f"@\tIN\tSOA\t{mname} hostmaster.{zone}. ({serial} {REFRESH} {RETRY} {EXPIRE} {negative_ttl})",
    ]
    lines += [f"@\tIN\tNS\t{name}.{zone}." for name, _ in ns]
    lines += [f"{name}\tIN\tA\t{address}" for name, address in ns]
    seen: set[tuple[str, str]] = {(name, "A") for name, _ in ns}
    for r in records:
        if (r.label, r.rtype) in seen:
            continue
        seen.add((r.label, r.rtype))
        lines.append(f"{r.label}\t{ttl}\tIN\t{r.rtype}\t{r.value}")
    return "\n".join(lines) + "\n"


def root_zone(self_name: str, self_address: str) -> str:
    """The resolver's own empty root: nothing but itself, so no query leaves the lab."""
    return (f"$TTL 86400\n.\tIN\tSOA\t{self_name}.lab-root. hostmaster.lab-root. (1 3600 600 86400 60)\n"
            f".\tIN\tNS\t{self_name}.lab-root.\n{self_name}.lab-root.\tIN\tA\t{self_address}\n")
