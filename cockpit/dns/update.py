"""The DNS change a failover makes: a TSIG-signed RFC 2136 update, sent to
``[dns.update] server``, replacing a site's A (and AAAA) records.

    result = await replace_site_address(inventory, "acme", host="web2", state=state_file)

* the new addresses are the ``public_ip`` (and ``public_ipv6``) of ``host``
  (or ``addresses`` given explicitly);
* the TTL is kept: the old record's TTL, read from the update server first
  (``ttl=`` overrides it, e.g. to lower it ahead of a planned move);
* AAAA records are deleted when the new host has no ``public_ipv6`` (an old
  AAAA would keep sending users to the dead machine);
* the change (time, old addresses, old TTL) is recorded in the state file, so
  the DNS pane's "done by" is the change time plus the old TTL, after a restart too.

Errors raise :class:`DnsUpdateError` with a message fit for an operator; the
TSIG secret is never in it.
"""

from __future__ import annotations

import asyncio
import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import dns.asyncquery
import dns.exception
import dns.message
import dns.rcode
import dns.rdatatype
import dns.tsig
import dns.update

from cockpit import clock
from cockpit.dns import changes
from cockpit.dns.classify import negative_ttl
from cockpit.dns.model import DnsChange
from cockpit.dns.query import make_query
from cockpit.dns.targets import site_name
from cockpit.dns.tsig import Keyring, TsigKeyError, load_keyring
from cockpit.engine.statefile import StateFile
from cockpit.inventory.model import Inventory, Site
from cockpit.untrusted import printable

DEFAULT_NEGATIVE_TTL = 300


class DnsUpdateError(Exception):
    pass


@dataclass(frozen=True)
class UpdateResult:
    site: str
    name: str
    server: str
    at: datetime
    old_addresses: tuple[str, ...]
    new_addresses: tuple[str, ...]
    old_ttl: int  # how long caches may keep the old answer
    ttl: int  # the TTL of the new records

    def describe(self) -> str:
        return (f"{self.name} A/AAAA: {', '.join(self.old_addresses) or '(none)'} -> "
                f"{', '.join(self.new_addresses)} (TTL {self.ttl}) via {self.server}")


@dataclass(frozen=True)
class CurrentRecords:
    addresses: tuple[str, ...]
    ttl: int | None  # None: no such records (then ``negative_ttl``)
    negative_ttl: int | None


def _site(inventory: Inventory, site: Site | str) -> Site:
    if isinstance(site, Site):
        return site
    try:
        return inventory.site(site)
    except KeyError:
        raise DnsUpdateError(f"no site {site!r} in the inventory") from None


def new_addresses(inventory: Inventory, host: str) -> tuple[str, ...]:
    try:
        h = inventory.host(host)
    except KeyError:
        raise DnsUpdateError(f"no host {host!r} in the inventory") from None
    out = tuple(a for a in (h.public_ip, h.public_ipv6) if a)
    if not out:
        raise DnsUpdateError(f"host {host} has no public_ip (or public_ipv6) in the inventory: "
                             "nothing to point the site at")
    return out


async def current_records(server: str, port: int, name: str, timeout: float) -> CurrentRecords:
    """What the update server answers now for ``name`` (A and AAAA)."""
    addresses: list[str] = []
    ttl: int | None = None
    neg: int | None = None
    for qtype in ("A", "AAAA"):
        q = make_query(name, qtype, recursion=False)
        try:
            r = await dns.asyncquery.udp_with_fallback(q, server, timeout=timeout, port=port)
        except (dns.exception.DNSException, OSError) as e:
            raise DnsUpdateError(f"{server}: cannot read the current {qtype} record of {name}: "
                                 f"{printable(str(e) or type(e).__name__, 200)}") from None
        response = r[0]
        if response.rcode() not in (dns.rcode.NOERROR, dns.rcode.NXDOMAIN):
            raise DnsUpdateError(f"{server} answers {dns.rcode.to_text(response.rcode())} for {name} {qtype}")
        for rrset in response.answer:
            if rrset.rdtype == dns.rdatatype.from_text(qtype):
                addresses += [rd.to_text() for rd in rrset]
                ttl = rrset.ttl if ttl is None else max(ttl, rrset.ttl)
        neg = negative_ttl(response) if neg is None else neg
    return CurrentRecords(tuple(addresses), ttl, neg)


def build_update(zone: str, name: str, addresses: Sequence[str], *, ttl: int, keyring: Keyring,
                 keyname: dns.name.Name, algorithm: str) -> dns.update.UpdateMessage:
    v4 = [a for a in addresses if ipaddress.ip_address(a).version == 4]
    v6 = [a for a in addresses if ipaddress.ip_address(a).version == 6]
    upd = dns.update.UpdateMessage(zone, keyring=keyring, keyname=keyname, keyalgorithm=algorithm)
    fqdn = name.rstrip(".") + "."
    for rtype, addrs in (("A", v4), ("AAAA", v6)):
        if addrs:
            upd.replace(fqdn, ttl, rtype, *addrs)
        else:
            upd.delete(fqdn, rtype)
    return upd


async def replace_site_address(inventory: Inventory, site: Site | str, *, host: str | None = None,
                               addresses: Sequence[str] | None = None, ttl: int | None = None,
                               state: StateFile | None = None, timeout: float | None = None,
                               cached_ttl: int | None = None) -> UpdateResult:
    """Point ``site``'s name at ``host`` (its public addresses) or at ``addresses``. See the module doc.

    ``cached_ttl``: a TTL caches may still hold for the old answer although the server now has a shorter
    one (it was lowered just before): "done by" counts with the longer of the two."""
    d = inventory.dns
    if d is None or d.update is None:
        raise DnsUpdateError("the inventory has no [dns.update] section: the cockpit cannot change DNS")
    s = _site(inventory, site)
    if addresses is None:
        if host is None:
            raise DnsUpdateError("give the host to point the site at (or the addresses)")
        addresses = new_addresses(inventory, host)
    try:
        new = tuple(str(ipaddress.ip_address(a)) for a in addresses)
    except ValueError as e:
        raise DnsUpdateError(f"not an IP address: {e}") from None
    if not new:
        raise DnsUpdateError("no address to point the site at")
    name = site_name(s, d.zone)
    if not (name == d.zone or name.endswith("." + d.zone)):
        raise DnsUpdateError(f"{name} is not in the zone {d.zone}: the cockpit can only update that zone")
    try:
        keyring, keyname, algorithm = load_keyring(inventory, d.update)
    except TsigKeyError as e:
        raise DnsUpdateError(str(e)) from None
    wait = timeout if timeout is not None else max(d.timeout, 5.0)
    server, port = d.update.server, d.update.port
    old = await current_records(server, port, name, wait)
    old_ttl = old.ttl if old.ttl is not None else (old.negative_ttl or DEFAULT_NEGATIVE_TTL)
    old_ttl = max(old_ttl, cached_ttl or 0)
    new_ttl = ttl if ttl is not None else (old.ttl or inventory_default_ttl(old))
    upd = build_update(d.zone, name, new, ttl=new_ttl, keyring=keyring, keyname=keyname, algorithm=algorithm)
    at = clock.now()
    try:
        async with asyncio.timeout(wait + 1):
            response = await dns.asyncquery.tcp(upd, server, timeout=wait, port=port)
    except dns.tsig.PeerError as e:
        raise DnsUpdateError(f"{server} rejected the TSIG signature ({type(e).__name__}): "
                             f"check key_name and the key") from None
    except (TimeoutError, dns.exception.Timeout):
        raise DnsUpdateError(f"{server}:{port} did not answer the update within {wait:g} s") from None
    except (dns.exception.DNSException, OSError) as e:
        raise DnsUpdateError(f"{server}:{port}: the update failed: "
                             f"{printable(str(e) or type(e).__name__, 200)}") from None
    if response.rcode() != dns.rcode.NOERROR:
        raise DnsUpdateError(f"{server} refused the update of {name}: {dns.rcode.to_text(response.rcode())}")
    result = UpdateResult(site=s.name, name=name, server=server, at=at, old_addresses=old.addresses,
                          new_addresses=new, old_ttl=old_ttl, ttl=new_ttl)
    if state is not None:
        changes.record(state, DnsChange(site=s.name, name=name, at=at, old_addresses=old.addresses,
                                        new_addresses=new, old_ttl=old_ttl))
    return result


def inventory_default_ttl(old: CurrentRecords) -> int:
    """The TTL for a name that had no address records: the zone's negative TTL, else 300 s."""
    return old.negative_ttl or DEFAULT_NEGATIVE_TTL


async def primary_answer(inventory: Inventory, site: Site | str, timeout: float = 5.0) -> tuple[str, ...]:
    """What the update server (the primary) answers for the site now: the failover's verification."""
    d = inventory.dns
    if d is None or d.update is None:
        raise DnsUpdateError("the inventory has no [dns.update] section")
    s = _site(inventory, site)
    return (await current_records(d.update.server, d.update.port, site_name(s, d.zone), timeout)).addresses
