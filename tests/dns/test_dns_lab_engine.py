"""More of the DNS engine against the lab's real BIND servers: AAAA for hosts
with ``public_ipv6``, the global concurrency cap, nameservers found from the
zone's NS records when the inventory lists none, and the negative-caching TTL
(RFC 2308) of a name that had no record before the cockpit's change."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta
from pathlib import Path

import dns.message
import dns.query
import dns.rcode
import dns.rdatatype
import pytest
from dnslab import by_server, sweep, wait_for

from cockpit import clock
from cockpit.dns import discover, query
from cockpit.dns.model import Answer, AnswerState, Server
from cockpit.dns.sweep import DnsMonitor
from cockpit.dns.update import replace_site_address
from cockpit.engine import placement
from cockpit.engine.statefile import StateFile
from cockpit.inventory.model import Inventory, Site
from cockpit.lab import Lab
from cockpit.lab.services.dns_bind import rndc
from cockpit.lab.services.dns_faults import _svc, flush_resolvers, retransfer_secondaries, tsig_replace
from cockpit.severity import Severity

pytestmark = pytest.mark.usefixtures("healed")
V6 = "2001:db8::50"  # documentation prefix: nothing is ever sent to it


def _with_v6(inv: Inventory, host: str) -> Inventory:
    return dataclasses.replace(inv, hosts=tuple(dataclasses.replace(h, public_ipv6=V6) if h.name == host else h
                                                for h in inv.hosts))


def _answers(site_answers: tuple[Answer, ...], qtype: str) -> dict[str, Answer]:
    return {a.server.name: a for a in site_answers if a.qtype == qtype}


def test_aaaa_is_asked_only_for_a_host_with_public_ipv6_and_must_match_too(
        lab: Lab, inv: Inventory, state: StateFile, moved: Site) -> None:
    assert moved.standby is not None
    assert {a.qtype for a in sweep(inv)[moved.name].answers} == {"A"}  # no public_ipv6: no AAAA query
    v6 = _with_v6(inv, moved.standby)
    result = asyncio.run(replace_site_address(v6, moved, host=moved.standby, state=state))  # A and AAAA
    placement.record_move(state, moved.name, moved.standby, previous=moved.host)
    assert V6 in result.new_addresses
    wait_for(lambda: by_server(sweep(v6, state)[moved.name])["ns2"] is AnswerState.MATCH, "ns2 to follow")
    s = sweep(v6, state)[moved.name]
    a, aaaa = _answers(s.answers, "A"), _answers(s.answers, "AAAA")
    assert set(a) == set(aaaa) == {"ns1", "ns2", "ns3", "res1"}
    assert aaaa["ns1"].state is AnswerState.MATCH and aaaa["ns1"].addresses == (V6,)
    assert aaaa["ns2"].state is AnswerState.MATCH and a["ns2"].state is AnswerState.MATCH
    assert aaaa["ns3"].state is AnswerState.NODATA  # the lagging secondary has no AAAA yet: it does not agree
    assert s.expected == (v6.host(moved.standby).public_ip, V6) and s.waiting_for == ("ns3",)
    # the same answers judged for a host without public_ipv6: the AAAA the zone has is not asked for
    plain = sweep(inv, state)[moved.name]
    assert {x.qtype for x in plain.answers} == {"A"} and by_server(plain)["ns1"] is AnswerState.MATCH


def test_the_sweep_never_has_more_queries_in_flight_than_the_cap(
        lab: Lab, inv: Inventory, monkeypatch: pytest.MonkeyPatch) -> None:
    assert inv.dns is not None
    real = query.exchange
    flying, peak = 0, 0

    async def counted(q: dns.message.Message, server: Server, timeout: float) -> tuple[dns.message.Message, bool]:
        nonlocal flying, peak
        flying += 1
        peak = max(peak, flying)
        try:
            return await real(q, server, timeout)  # the real lab server answers
        finally:
            flying -= 1

    monkeypatch.setattr(query, "exchange", counted)  # SOA queries go through it too (query.exchange_tried)
    capped = dataclasses.replace(inv, dns=dataclasses.replace(inv.dns, concurrency=2))
    report = asyncio.run(DnsMonitor(capped).sweep())
    assert peak == 2  # SOA and address queries share one cap: reached, never passed
    assert all(s.severity is Severity.OK for s in report.sites) and all(x.serial for x in report.soa)
    peak = 0
    asyncio.run(DnsMonitor(inv).sweep())  # the default cap (256): every query of the sweep at once
    assert peak == 3 + 4 * len(inv.sites)


def test_without_nameservers_they_are_found_from_the_zones_ns_records(
        lab: Lab, inv: Inventory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert inv.dns is not None
    resolv = tmp_path / "resolv.conf"
    resolv.write_text(f"nameserver {lab.address('web1')}\n")  # no DNS server there: discovery fails
    monkeypatch.setattr(discover, "RESOLV_CONF", str(resolv))
    bare = dataclasses.replace(inv, dns=dataclasses.replace(inv.dns, nameservers=(), timeout=0.5))
    monitor = DnsMonitor(bare)
    first = asyncio.run(monitor.sweep())
    assert any("cannot discover the nameservers of example.test" in p for p in first.problems)
    assert [s.name for s in first.servers] == ["res1"] and first.soa == ()
    resolv.write_text(f"nameserver {lab.address('res1')}\n")  # the system resolver works again
    again = asyncio.run(monitor.sweep())  # the next sweep tries again
    assert again.problems == ()
    assert sorted((s.name, s.address, s.kind.value) for s in again.servers) == [
        *((n, lab.address(n), "authoritative") for n in ("ns1", "ns2", "ns3")), ("res1", lab.address("res1"),
                                                                                 "resolver")]
    assert {x.server.name for x in again.soa} == {"ns1", "ns2", "ns3"}
    assert all(s.severity is Severity.OK and set(by_server(s)) == {"ns1", "ns2", "ns3", "res1"} for s in again.sites)


def _soa_negative_ttl(address: str, zone: str) -> int:
    r = dns.query.udp(dns.message.make_query(zone, "SOA"), address, timeout=5)
    rrset = next(x for x in r.answer if x.rdtype == dns.rdatatype.SOA)
    return int(min(rrset.ttl, rrset[0].minimum))  # RFC 2308, from the real server's SOA


def test_a_new_name_is_done_by_the_change_plus_the_negative_ttl_and_a_cached_nxdomain_counts(
        lab: Lab, inv: Inventory, state: StateFile) -> None:
    assert inv.dns is not None
    fresh = Site("fresh-name", host=inv.sites[0].host)
    name, res1 = f"fresh-name.{inv.dns.zone}", lab.address("res1")
    only = dataclasses.replace(inv, sites=(fresh,))
    neg = _soa_negative_ttl(lab.address("ns1"), inv.dns.zone)
    rndc(lab.handle("res1"), "flushname", name)
    before = clock.now()
    r = dns.query.udp(dns.message.make_query(name, "A"), res1, timeout=5)  # a user's lookup: NXDOMAIN, cached
    after = clock.now()
    assert r.rcode() == dns.rcode.NXDOMAIN
    ns1 = lab.handle("ns1")
    try:
        result = asyncio.run(replace_site_address(only, fresh, host=fresh.host, state=state))
        assert result.old_addresses == () and result.old_ttl == neg  # no old record: its absence was cached
        retransfer_secondaries(lab)  # every secondary has the name now (the lagging one too)
        s = sweep(only, state)["fresh-name"]
        assert {n: st for n, st in by_server(s).items() if n != "res1"} == dict.fromkeys(
            ("ns1", "ns2", "ns3"), AnswerState.MATCH)
        assert s.change is not None and s.change.old_ttl == neg and s.waiting_for == () == s.wrong_in_zone
        cached = next(a for a in s.answers if a.server.name == "res1")
        if cached.state is AnswerState.NXDOMAIN:  # res1 still holds the negative answer
            assert cached.negative_ttl is not None and cached.expires_at is not None
            assert before + timedelta(seconds=neg - 1) <= cached.expires_at <= after + timedelta(seconds=neg + 1)
            assert s.done_by == max(result.at + timedelta(seconds=neg), cached.expires_at)
        else:  # a very slow machine: the negative answer ran out before the sweep
            assert cached.state is AnswerState.MATCH and clock.now() >= before + timedelta(seconds=neg - 1)
            assert s.done_by == result.at + timedelta(seconds=neg)
    finally:
        tsig_replace(lab, ns1, _svc(ns1, "primary"), name, ttl=neg, addresses=[])
        retransfer_secondaries(lab)
        flush_resolvers(lab)
