"""Authoritative servers of the zone from its NS records, via the system
resolver (only when the inventory lists no ``[dns] nameservers``)."""

from __future__ import annotations

import dns.asyncresolver
import dns.exception
import dns.rdatatype

from cockpit.dns.model import Server, ServerKind
from cockpit.untrusted import printable

RESOLV_CONF = "/etc/resolv.conf"  # the system resolver's configuration (a test points it at the lab's resolver)


async def discover_nameservers(zone: str, timeout: float,
                               via: list[str] | None = None) -> tuple[list[Server], str | None]:
    """``via``: resolver addresses to ask (default: the system's, from :data:`RESOLV_CONF`)."""
    try:
        resolver = dns.asyncresolver.Resolver(filename=RESOLV_CONF, configure=via is None)
        if via is not None:
            resolver.nameservers = list(via)
        resolver.lifetime = timeout * 2
        ns = await resolver.resolve(zone, dns.rdatatype.NS)
        servers: list[Server] = []
        for rd in ns:
            target = rd.target.to_text().rstrip(".")
            addrs = await resolver.resolve(target, dns.rdatatype.A)
            servers += [Server(target.split(".")[0] if len(addrs) == 1 else f"{target}#{i}", a.to_text(),
                               ServerKind.AUTHORITATIVE) for i, a in enumerate(addrs)]
    except (dns.exception.DNSException, OSError) as e:
        return [], printable(f"cannot discover the nameservers of {zone} from its NS records: {e}", 300)
    return servers, None
