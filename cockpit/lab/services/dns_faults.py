"""Faults of the lab's DNS servers (all real: a dead named, a secondary cut off
from its primary, a DNSSEC failure, an upstream that never answers, a TSIG
update made behind the cockpit's back).

* ``stop-dns`` (any DNS host): named is killed; queries time out.
* ``stale`` (a secondary): it stops following the primary and keeps its zone.
* ``servfail`` (a resolver): every answer for the lab zone is SERVFAIL.
* ``slow-dns`` (a resolver): its upstream never answers; it answers nothing
  that is not cached before any client gives up (cache flushed).
* ``dns-point SITE ADDRESS`` (the primary; ``lab fault SITE dns-point ADDRESS``
  also works): the site's A record now points at ADDRESS. Heal puts the old
  answer back, makes every secondary (the lagging one too) catch up and
  empties the resolvers' caches.
"""

from __future__ import annotations

import ipaddress
import shutil
import sys
from typing import TYPE_CHECKING, Any

import dns.exception
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype
import dns.tsig
import dns.tsigkeyring
import dns.update

from cockpit.dns.keyfile import parse_key_file
from cockpit.lab.errors import LabError
from cockpit.lab.faultkind import FaultKind
from cockpit.lab.host import HostHandle
from cockpit.lab.services import dns_conf, dns_zone
from cockpit.lab.services.base import LabContext
from cockpit.lab.state import FaultRec

if TYPE_CHECKING:
    from cockpit.lab.services.dns_bind import BindDns

TARPIT = "named-tarpit"
TARPIT_CODE = ("import socket, time\n"
               "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
               f"s.bind(('{dns_conf.TARPIT_ADDRESS}', 53))\n"
               "open('/run/named-tarpit.ready', 'w').close()\n"
               "while True: time.sleep(3600)\n")


def _svc(host: HostHandle, *roles: str) -> BindDns:
    from cockpit.lab.services.base import make
    from cockpit.lab.services.dns_bind import BindDns

    for rec in host.state.services:
        if rec["name"] == BindDns.name:
            svc = make(rec["name"], rec.get("params"))
            assert isinstance(svc, BindDns)
            if roles and svc.role not in roles:
                raise LabError(f"{host.name} is a DNS {svc.role}; this fault needs a {' or '.join(roles)}")
            return svc
    raise LabError(f"{host.name} runs no DNS server")


def _write_conf(lab: LabContext, host: HostHandle, svc: BindDns, faults: tuple[str, ...]) -> None:
    target = host.path(dns_conf.CONF)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(svc.conf_text(lab, faults))
    tmp.replace(target)


def _restart(lab: LabContext, host: HostHandle) -> None:
    lab.stop_service(host, "named")
    lab.start_service(host, "named")


# -- stop-dns --------------------------------------------------------------------------
def _stop_apply(lab: LabContext, host: HostHandle, args: list[str]) -> dict[str, Any]:
    _svc(host)
    lab.stop_service(host, "named")
    return {}


def _stop_heal(lab: LabContext, host: HostHandle, rec: FaultRec) -> None:
    from cockpit.lab import procs

    run = host.state.running.get("named")
    if run is None or not procs.alive(run.pid):
        lab.stop_service(host, "named")
        lab.start_service(host, "named")


def soa_serial(address: str, zone: str) -> int | None:
    try:
        r = dns.query.udp(dns.message.make_query(zone, dns.rdatatype.SOA), address, timeout=1)
    except (dns.exception.DNSException, OSError):
        return None
    return next((int(rrset[0].serial) for rrset in r.answer if rrset.rdtype == dns.rdatatype.SOA), None)


def _primary_serial(lab: LabContext, svc: BindDns) -> int | None:
    primary = lab.state.hosts[svc.primary].address if svc.primary in lab.state.hosts else None
    return soa_serial(primary, svc.zone) if primary is not None else None


def _caught_up(lab: LabContext, host: HostHandle, svc: BindDns, timeout: float = 10.0) -> None:
    from cockpit.lab import procs

    want = _primary_serial(lab, svc)
    procs.wait_until(lambda: want is None or soa_serial(host.address, svc.zone) == want, timeout, interval=0.05)


def transfer_if_behind(lab: LabContext, host: HostHandle, svc: BindDns) -> None:
    """A secondary behind its primary transfers the zone now; this returns when it serves the primary's
    serial (bounded). One already current is left alone: ``rndc retransfer`` only queues a transfer, and
    one still queued when the next update lands would carry that update to a secondary meant to lag."""
    from cockpit.lab.services.dns_bind import rndc

    want = _primary_serial(lab, svc)
    if want is not None and soa_serial(host.address, svc.zone) == want:
        return
    rndc(host, "retransfer", svc.zone)
    _caught_up(lab, host, svc)


# -- stale -------------------------------------------------------------------------------
def _stale_apply(lab: LabContext, host: HostHandle, args: list[str]) -> dict[str, Any]:

    svc = _svc(host, "secondary", "lagging")
    _caught_up(lab, host, svc)  # a transfer in flight finishes before it is cut off
    _write_conf(lab, host, svc, ("stale",))
    _restart(lab, host)  # it loads its zone file from disk and never hears from the primary again
    return {}


def _stale_heal(lab: LabContext, host: HostHandle, rec: FaultRec) -> None:
    svc = _svc(host)
    _write_conf(lab, host, svc, ())
    _restart(lab, host)
    transfer_if_behind(lab, host, svc)


# -- servfail / slow (resolvers) -----------------------------------------------------------
def _servfail_apply(lab: LabContext, host: HostHandle, args: list[str]) -> dict[str, Any]:
    svc = _svc(host, "resolver")
    _write_conf(lab, host, svc, ("servfail",))
    _restart(lab, host)
    return {}


def _slow_apply(lab: LabContext, host: HostHandle, args: list[str]) -> dict[str, Any]:
    svc = _svc(host, "resolver")
    python = shutil.which("python3") or sys.executable
    from cockpit.lab import procs

    host.path("/run/named-tarpit.ready").unlink(missing_ok=True)
    host.spawn(TARPIT, [python, "-c", TARPIT_CODE])
    if not procs.wait_until(lambda: host.path("/run/named-tarpit.ready").exists(), 10.0):
        host.kill_service(TARPIT)
        raise LabError(f"{host.name}: the silent upstream did not start: {procs.tail(host.dir / (TARPIT + '.out'))}")
    _write_conf(lab, host, svc, ("slow",))
    _restart(lab, host)  # an empty cache: nothing is answered fast any more
    return {}


def _resolver_heal(lab: LabContext, host: HostHandle, rec: FaultRec) -> None:
    svc = _svc(host)
    _write_conf(lab, host, svc, ())
    _restart(lab, host)
    if rec.kind == "slow-dns":
        host.kill_service(TARPIT)


# -- dns-point --------------------------------------------------------------------------------
def _keyring(lab: LabContext) -> tuple[dict[dns.name.Name, dns.tsig.Key], dns.name.Name]:
    from cockpit.lab.services.dns_bind import KEY_NAME, tsig_key_path

    key = parse_key_file(tsig_key_path(lab).read_text(), KEY_NAME)
    ring = dns.tsigkeyring.from_text({key.name: (key.algorithm, key.secret)})
    return ring, dns.name.from_text(key.name)


def _site_name(lab: LabContext, svc: BindDns, site: str) -> str:
    for s in dns_zone.lab_sites(lab, svc.sites):
        if s.get("name") == site:
            return dns_zone.site_hostname(s, svc.zone)
    raise LabError(f"no lab site {site!r} in the DNS zone")


def _current(host: HostHandle, name: str) -> tuple[list[str], int]:
    try:
        r = dns.query.udp(dns.message.make_query(name, dns.rdatatype.A), host.address, timeout=3)
    except (dns.exception.DNSException, OSError) as e:
        raise LabError(f"{host.name}: no answer for {name}: {e}") from None
    for rrset in r.answer:
        if rrset.rdtype == dns.rdatatype.A:
            return sorted(rd.to_text() for rd in rrset), rrset.ttl
    return [], 0


def tsig_replace(lab: LabContext, host: HostHandle, svc: BindDns, name: str, *, ttl: int,
                 addresses: list[str]) -> None:
    """A TSIG-signed RFC 2136 update sent to the primary: ``name`` A := ``addresses``."""
    ring, keyname = _keyring(lab)
    upd = dns.update.UpdateMessage(svc.zone, keyring=ring, keyname=keyname, keyalgorithm=dns.tsig.HMAC_SHA256)
    if addresses:
        upd.replace(name + ".", ttl, "A", *addresses)
    else:
        upd.delete(name + ".", "A")
    try:
        r = dns.query.tcp(upd, host.address, timeout=5)
    except (dns.exception.DNSException, OSError) as e:
        raise LabError(f"{host.name}: the DNS update failed: {type(e).__name__}: {e}") from None
    if r.rcode() != dns.rcode.NOERROR:
        raise LabError(f"{host.name}: the DNS update was refused: {dns.rcode.to_text(r.rcode())}")


def _point_apply(lab: LabContext, host: HostHandle, args: list[str]) -> dict[str, Any]:
    svc = _svc(host, "primary")
    site, address = args
    try:
        ipaddress.IPv4Address(address)
    except ValueError:
        raise LabError(f"dns-point: ADDRESS must be an IPv4 address, not {address!r}") from None
    name = _site_name(lab, svc, site)
    old, ttl = _current(host, name)
    tsig_replace(lab, host, svc, name, ttl=ttl or svc.ttl, addresses=[address])
    return {"name": name, "old": old, "ttl": ttl or svc.ttl}


def retransfer_secondaries(lab: LabContext) -> list[str]:
    """Make every secondary (the lagging one too) that is behind its primary transfer the zone now, and
    wait until it has (bounded). A secondary cut off (stale, stop-dns) is left to its own heal."""
    from cockpit.lab.services.dns_bind import dns_services

    cut_off = {f.host for f in lab.state.faults if f.kind in ("stale", "stop-dns")}
    done = []
    for name, svc in dns_services(lab):
        if svc.role in ("secondary", "lagging") and name not in cut_off:
            try:
                transfer_if_behind(lab, lab.handle(name), svc)
            except LabError:
                continue  # a stopped named or host: restart_dead or its own heal brings it back
            done.append(name)
    return done


def flush_resolvers(lab: LabContext) -> list[str]:
    """Empty every lab resolver's cache (a healed lab answers right at once)."""
    from cockpit.lab.services.dns_bind import dns_services, rndc

    done = []
    for name, svc in dns_services(lab):
        if svc.role == "resolver":
            try:
                rndc(lab.handle(name), "flush")
            except LabError:
                continue  # a stopped named: its own heal brings it back, with an empty cache
            done.append(name)
    return done


def catch_up(lab: LabContext) -> list[str]:
    """``lab heal`` (everything): every DNS secondary, the lagging one too,
    has the primary's zone, and every resolver forgets what it cached."""
    done = retransfer_secondaries(lab) + flush_resolvers(lab)
    return [f"DNS: {', '.join(done)} caught up (zone transferred, caches emptied)"] if done else []


def _point_heal(lab: LabContext, host: HostHandle, rec: FaultRec) -> None:
    svc = _svc(host, "primary")
    name = rec.data.get("name")
    if name:
        tsig_replace(lab, host, svc, str(name), ttl=int(rec.data.get("ttl") or svc.ttl),
                     addresses=list(rec.data.get("old") or []))
    retransfer_secondaries(lab)
    flush_resolvers(lab)


def route_site_fault(lab: LabContext, target: str, kind: str, args: list[str]) -> tuple[str, list[str]]:
    """``lab fault SITE dns-point ADDRESS`` -> the primary nameserver's ``dns-point SITE ADDRESS``."""
    from cockpit.lab.services.dns_bind import dns_services

    if kind != "dns-point" or target in lab.state.hosts:
        return target, args
    primary = next((h for h, s in dns_services(lab) if s.role == "primary"), None)
    if primary is None:
        raise LabError("this lab has no DNS primary (no lab host runs named as primary)")
    return primary, [target, *args]


FAULTS: tuple[FaultKind, ...] = (
    FaultKind("stop-dns", "", "kill the host's named (queries to it time out)", _stop_apply, _stop_heal, slot="named"),
    FaultKind("stale", "", "a DNS secondary stops following its primary (keeps its old zone)",
              _stale_apply, _stale_heal),
    FaultKind("servfail", "", "a resolver answers SERVFAIL for the lab zone (DNSSEC validation failure)",
              _servfail_apply, _resolver_heal, slot="named"),
    FaultKind("slow-dns", "", "a resolver's upstream never answers: uncached names time out",
              _slow_apply, _resolver_heal, slot="named"),
    FaultKind("dns-point", "SITE ADDRESS", "TSIG update behind the cockpit's back: SITE's A record -> ADDRESS "
              "(on the DNS primary; or: lab fault SITE dns-point ADDRESS)", _point_apply, _point_heal, 2, 2,
              slot_by_first_arg=True),
)
