"""The lab's DNS truth, read from the servers themselves (not the cockpit's
view): where each site's name points on each nameserver and resolver, and the
lagging secondary's refresh."""

from __future__ import annotations

import dns.exception
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype

from cockpit.demo import fleet
from cockpit.lab import Lab, LabError
from cockpit.lab.dns_fleet import ZONE

SERVERS = ("ns1", "ns2", "ns3", "res1")


def answer(lab: Lab, server: str, name: str, timeout: float = 2.0) -> tuple[str, ...] | None:
    """The A addresses ``server`` gives for ``name`` now (None: no answer)."""
    q = dns.message.make_query(f"{name}.", dns.rdatatype.A)
    try:
        r = dns.query.udp(q, lab.address(server), timeout=timeout)
    except (dns.exception.DNSException, OSError):
        return None
    if r.rcode() != dns.rcode.NOERROR:
        return None
    return tuple(sorted(rd.address for rrset in r.answer if rrset.rdtype == dns.rdatatype.A for rd in rrset))


def public_ip(lab: Lab, host: str) -> str:
    ip = lab.state.host(host).public_ip
    if not ip:
        raise LabError(f"{host} has no public_ip")
    return ip


def hostname(site: str) -> str:
    return f"{site}.{ZONE}"


def primary_points_all_to(lab: Lab, host: str, sites: int, target: str, server: str = "ns1") -> bool:
    want = (public_ip(lab, target),)
    return all(answer(lab, server, hostname(s)) == want for s in fleet.site_names(host, sites))


def wrong_answers(lab: Lab, host: str, sites: int, target: str) -> list[str]:
    """``server: site -> answer`` for every server not answering ``target``'s address yet."""
    want = (public_ip(lab, target),)
    out = []
    for server in SERVERS:
        for s in fleet.site_names(host, sites):
            got = answer(lab, server, hostname(s))
            if got != want:
                out.append(f"{server}: {s} -> {got}")
    return out


def lagging_refresh(lab: Lab) -> None:
    """ns3's daily refresh, now: a real SOA check and zone transfer from ns1."""
    from cockpit.lab.services.dns_bind import rndc

    rndc(lab.handle("ns3"), "refresh", ZONE)
