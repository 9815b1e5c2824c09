"""What each site should resolve to now: its DNS name, the host it is on now
(after a failover, the state file says), and that host's public addresses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cockpit.engine.placement import current_host
from cockpit.inventory.model import Inventory, Site


@dataclass(frozen=True)
class SiteTarget:
    site: str
    name: str  # fully qualified, no trailing dot
    host: str
    a: tuple[str, ...]  # expected A addresses
    aaaa: tuple[str, ...]  # expected AAAA addresses (only when the host has public_ipv6)
    problem: str | None = None

    @property
    def expected(self) -> tuple[str, ...]:
        return (*self.a, *self.aaaa)

    @property
    def qtypes(self) -> tuple[str, ...]:
        return ("A", "AAAA") if self.aaaa else ("A",)


def site_name(site: Site, zone: str) -> str:
    return (site.hostname or f"{site.name}.{zone}").rstrip(".").lower()


def expected_for(inventory: Inventory, site: Site, host_name: str, zone: str) -> SiteTarget:
    host = next((h for h in inventory.hosts if h.name == host_name), None)
    a = (host.public_ip,) if host is not None and host.public_ip else ()
    aaaa = (host.public_ipv6,) if host is not None and host.public_ipv6 else ()
    problem = None if a or aaaa else f"host {host_name} has no public_ip in the inventory: nothing to compare with"
    return SiteTarget(site.name, site_name(site, zone), host_name, a, aaaa, problem)


def targets(inventory: Inventory, state: dict[str, Any]) -> list[SiteTarget]:
    if inventory.dns is None:
        return []
    zone = inventory.dns.zone
    return [expected_for(inventory, s, current_host(state, s, inventory), zone) for s in inventory.sites]
