"""The lab's DNS hosts: ``ns1`` (primary, takes TSIG updates), ``ns2`` (a
secondary notified at once), ``ns3`` (a lagging secondary, never notified) and
resolvers ``res1``.. (caching, stub-resolving the zone through ns1 and ns2).

``with_dns(spec)`` adds them to a fleet. The zone holds every lab site (see
:mod:`cockpit.lab.services.dns_zone`); ``sites`` are used only when no other
service gives the lab any.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cockpit.lab.services.dns_bind import BindDns
from cockpit.lab.services.sshd import Sshd
from cockpit.lab.spec import DataMount, FleetSpec, HostSpec

ZONE = "example.test"


def dns_hosts(*, zone: str = ZONE, ttl: int = 60, resolvers: int = 1,
              sites: Sequence[Mapping[str, Any]] = ()) -> tuple[HostSpec, ...]:
    def host(name: str, role: str, svc: BindDns) -> HostSpec:
        return HostSpec(name, role=role, mounts=(DataMount("/srv", 16),), raid=False, root_size_mb=64,
                        pid_max=512, services=(Sshd(), svc))

    out = [
        host("ns1", "dns", BindDns(role="primary", zone=zone, ttl=ttl, notify=("ns2",),
                                   sites=tuple(dict(s) for s in sites))),
        host("ns2", "dns", BindDns(role="secondary", zone=zone, ttl=ttl, primary="ns1")),
        host("ns3", "dns", BindDns(role="lagging", zone=zone, ttl=ttl, primary="ns1")),
    ]
    out += [host(f"res{i}", "resolver", BindDns(role="resolver", zone=zone, ttl=ttl, upstream=("ns1", "ns2")))
            for i in range(1, resolvers + 1)]
    return tuple(out)


def with_dns(spec: FleetSpec, **kwargs: Any) -> FleetSpec:
    """``spec`` plus the DNS hosts (unless it has a host named ns1 already)."""
    if any(h.name == "ns1" for h in spec.hosts):
        return spec
    return FleetSpec((*spec.hosts, *dns_hosts(**kwargs)), subnet=spec.subnet)
