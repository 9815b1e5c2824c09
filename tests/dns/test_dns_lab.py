"""The DNS engine against the lab's real BIND servers: ns1 (primary, TSIG
updates), ns2 (follows at once), ns3 (lagging: never notified), res1 (caching
resolver). Every state comes from a real server or a real fault."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta
from pathlib import Path

import dns.message
import dns.query
import pytest
from dnslab import a_site, by_server, sweep, wait_for

from cockpit import clock
from cockpit.dns.model import AnswerState
from cockpit.dns.sweep import DnsMonitor
from cockpit.dns.update import DnsUpdateError, primary_answer, replace_site_address
from cockpit.engine import placement
from cockpit.engine.statefile import StateFile
from cockpit.inventory.model import Inventory, Site
from cockpit.lab import Lab
from cockpit.lab.services.dns_bind import rndc
from cockpit.lab.services.dns_faults import _svc, retransfer_secondaries, tsig_replace
from cockpit.secrets import MASK
from cockpit.severity import Severity

pytestmark = pytest.mark.usefixtures("healed")


def test_healthy_lab_every_site_agrees_everywhere(inv: Inventory) -> None:
    assert inv.dns is not None and inv.sites
    report = asyncio.run(DnsMonitor(inv).sweep())
    assert {s.server.name for s in report.soa} == {"ns1", "ns2", "ns3"}
    assert len({s.serial for s in report.soa}) == 1 and not any(s.lagging for s in report.soa)
    for site in report.sites:
        assert site.severity is Severity.OK, (site.site, by_server(site))
        assert site.propagated_percent == 100.0 and set(by_server(site)) == {"ns1", "ns2", "ns3", "res1"}


def test_failover_update_propagates_ns2_at_once_ns3_when_told_resolver_when_ttl_runs_out(
        lab: Lab, inv: Inventory, state: StateFile, moved: Site) -> None:
    site, res1 = moved, lab.address("res1")
    assert inv.dns is not None
    name = f"{site.name}.{inv.dns.zone}" if not site.hostname else site.hostname
    rndc(lab.handle("res1"), "flushname", name)  # nothing cached from earlier tests
    before = clock.now()
    dns.query.udp(dns.message.make_query(name, "A"), res1, timeout=5)  # a user's lookup: res1 caches the old answer
    after = clock.now()
    assert site.standby is not None
    result = asyncio.run(replace_site_address(inv, site, host=site.standby, state=state))
    placement.record_move(state, site.name, site.standby, previous=site.host)
    new = inv.host(site.standby).public_ip
    assert result.new_addresses == (new,) and result.old_addresses == (inv.host(site.host).public_ip,)
    assert asyncio.run(primary_answer(inv, site)) == (new,)

    # ns2 follows by itself (NOTIFY, then a transfer: milliseconds, not asserted)
    wait_for(lambda: by_server(sweep(inv, state)[site.name])["ns2"] is AnswerState.MATCH, "ns2 to follow")
    s = sweep(inv, state)[site.name]
    assert s.host == site.standby and s.expected == (new,)
    assert by_server(s) == {"ns1": AnswerState.MATCH, "ns2": AnswerState.MATCH, "ns3": AnswerState.MISMATCH,
                            "res1": AnswerState.MISMATCH}
    assert s.severity is Severity.WARNING and s.waiting_for == ("ns3",) and s.done_by is None
    assert s.wrong_in_zone == ()  # ns1 and ns2 have the change: only ns3 is behind
    assert s.authoritative_percent is not None and round(s.authoritative_percent) == 67
    cached = next(a for a in s.answers if a.server.name == "res1")
    ttl = result.old_ttl
    assert cached.expires_at is not None
    # the resolver's remaining TTL puts its expiry at the moment it fetched plus the TTL, within a second
    assert before + timedelta(seconds=ttl - 1) <= cached.expires_at <= after + timedelta(seconds=ttl + 1)

    retransfer_secondaries(lab)  # "told": rndc retransfer on the lagging secondary
    wait_for(lambda: by_server(sweep(inv, state)[site.name])["ns3"] is AnswerState.MATCH, "ns3 to transfer")
    s = sweep(inv, state)[site.name]
    assert s.waiting_for == () and by_server(s)["res1"] is AnswerState.MISMATCH
    assert s.done_by is not None and s.change is not None and s.change.at == result.at
    still = next(a for a in s.answers if a.server.name == "res1")
    assert still.expires_at is not None and abs((still.expires_at - cached.expires_at).total_seconds()) <= 1
    # the latest of: the resolver's cache, and the change plus the old TTL (caches the cockpit cannot see)
    assert s.done_by == max(result.at + timedelta(seconds=ttl), still.expires_at)

    # once the cached answer's TTL has run out, the resolver fetches the new one
    wait_for(lambda: by_server(sweep(inv, state)[site.name])["res1"] is AnswerState.MATCH, "res1's cache to expire")
    assert clock.now() >= cached.expires_at - timedelta(seconds=1)
    s = sweep(inv, state)[site.name]
    assert s.severity is Severity.OK and s.propagated_percent == 100.0


def test_the_engine_state_survives_a_restart(inv: Inventory, state: StateFile, moved: Site) -> None:
    assert moved.standby is not None
    asyncio.run(replace_site_address(inv, moved, host=moved.standby, state=state))
    placement.record_move(state, moved.name, moved.standby, previous=moved.host)
    s = sweep(inv, StateFile(state.path))[moved.name]  # a new monitor, reading the file only
    assert s.host == moved.standby and s.change is not None and by_server(s)["ns1"] is AnswerState.MATCH


def test_stopped_nameserver_is_a_timeout_not_a_mismatch(lab: Lab, inv: Inventory) -> None:
    lab.fault("ns2", "stop-dns")
    report = asyncio.run(DnsMonitor(inv).sweep())
    for s in report.sites:
        assert by_server(s)["ns2"] is AnswerState.TIMEOUT and by_server(s)["ns1"] is AnswerState.MATCH
        assert s.severity is Severity.WARNING and s.worst is not None and s.worst.server.name == "ns2"
    ns2 = next(x for x in report.soa if x.server.name == "ns2")
    assert ns2.serial is None and ns2.error and not ns2.lagging


def test_nxdomain_is_its_own_state_and_critical_everywhere(inv: Inventory) -> None:
    ghost = Site("ghost", host=inv.sites[0].host)
    s = sweep(dataclasses.replace(inv, sites=(ghost,)))["ghost"]
    assert set(by_server(s).values()) == {AnswerState.NXDOMAIN}
    assert s.severity is Severity.CRITICAL
    res = next(a for a in s.answers if a.server.name == "res1")
    assert res.negative_ttl is not None and res.expires_at is not None


def test_servfail_resolver_is_servfail(lab: Lab, inv: Inventory) -> None:
    lab.fault("res1", "servfail")
    for s in sweep(inv).values():
        assert by_server(s)["res1"] is AnswerState.SERVFAIL and by_server(s)["ns1"] is AnswerState.MATCH


def test_resolver_slow_past_the_timeout_is_a_timeout(lab: Lab, inv: Inventory) -> None:
    lab.fault("res1", "slow-dns")
    for s in sweep(inv).values():
        assert by_server(s)["res1"] is AnswerState.TIMEOUT


def test_update_behind_the_cockpits_back_is_a_wrong_address(lab: Lab, inv: Inventory) -> None:
    site = a_site(inv)
    lab.fault(site.name, "dns-point", "203.0.113.250")
    # ns2 follows by itself (NOTIFY, then a transfer: milliseconds, not asserted)
    wait_for(lambda: by_server(sweep(inv)[site.name])["ns2"] is AnswerState.MISMATCH, "ns2 to follow")
    s = sweep(inv)[site.name]
    assert by_server(s)["ns1"] is AnswerState.MISMATCH and by_server(s)["ns2"] is AnswerState.MISMATCH
    assert by_server(s)["ns3"] is AnswerState.MATCH  # the lagging secondary still has the right one
    wrong = next(a for a in s.answers if a.server.name == "ns1")
    assert wrong.addresses == ("203.0.113.250",) and s.severity is Severity.WARNING
    report = asyncio.run(DnsMonitor(inv).sweep())
    assert [x.server.name for x in report.soa if x.lagging] == ["ns3"]
    # ns1 and ns2 hold the newest zone: it is the zone that is wrong, not a server that is behind
    s = next(x for x in report.sites if x.site == site.name)
    assert s.wrong_in_zone == ("ns1", "ns2") and s.waiting_for == () and s.done_by is None


def test_stale_secondary_keeps_its_old_zone(lab: Lab, inv: Inventory) -> None:
    site = a_site(inv)
    lab.fault("ns2", "stale")
    lab.fault(site.name, "dns-point", "203.0.113.251")
    s = sweep(inv)[site.name]
    assert by_server(s)["ns1"] is AnswerState.MISMATCH and by_server(s)["ns2"] is AnswerState.MATCH


def test_truncated_answer_is_retried_over_tcp(lab: Lab, inv: Inventory) -> None:
    assert inv.dns is not None
    ns1 = lab.handle("ns1")
    many = [f"198.51.100.{i}" for i in range(1, 101)]  # 100 A records: more than a 1232-byte UDP answer
    tsig_replace(lab, ns1, _svc(ns1, "primary"), f"big.{inv.dns.zone}", ttl=60, addresses=many)
    try:
        s = sweep(dataclasses.replace(inv, sites=(Site("big", host=inv.sites[0].host),)))["big"]
        a = next(x for x in s.answers if x.server.name == "ns1")
        assert a.tcp and len(a.addresses) == 100 and a.state is AnswerState.MISMATCH
    finally:
        tsig_replace(lab, ns1, _svc(ns1, "primary"), f"big.{inv.dns.zone}", ttl=60, addresses=[])


def test_update_with_a_wrong_key_is_refused_and_never_shows_the_secret(inv: Inventory, tmp_path: Path) -> None:
    assert inv.dns is not None and inv.dns.update is not None
    bad = tmp_path / "bad.key"
    secret = "d3JvbmctZ3Vlc3Mtd3JvbmctZ3Vlc3Mtd3JvbmctZ3Vlc3M="
    bad.write_text(f'key "cockpit-key" {{ algorithm hmac-sha256; secret "{secret}"; }};\n')
    wrong = dataclasses.replace(inv, dns=dataclasses.replace(
        inv.dns, update=dataclasses.replace(inv.dns.update, key_file=str(bad))))
    with pytest.raises(DnsUpdateError) as e:
        asyncio.run(replace_site_address(wrong, a_site(inv), addresses=["203.0.113.77"]))
    assert "TSIG" in str(e.value) or "NOTAUTH" in str(e.value)
    assert secret not in str(e.value)
    from cockpit.secrets import scrub_text

    assert scrub_text(f"x {secret} y") == f"x {MASK} y"  # registered the moment it was read


def test_nameservers_are_discovered_from_the_zones_ns_records(lab: Lab, inv: Inventory) -> None:
    from cockpit.dns.discover import discover_nameservers

    assert inv.dns is not None
    found, problem = asyncio.run(discover_nameservers(inv.dns.zone, 2, via=[lab.address("res1")]))
    assert problem is None
    assert sorted((s.name, s.address) for s in found) == [(n, lab.address(n)) for n in ("ns1", "ns2", "ns3")]
    missing, problem = asyncio.run(discover_nameservers("no-such-zone.test", 2, via=[lab.address("res1")]))
    assert missing == [] and problem is not None and "no-such-zone.test" in problem


def test_requery_one_site_now_replaces_its_row(lab: Lab, inv: Inventory) -> None:
    monitor = DnsMonitor(inv)
    first = asyncio.run(monitor.sweep())
    site = a_site(inv)
    lab.fault("ns2", "stop-dns")
    again = asyncio.run(monitor.sweep_site(site.name))
    assert again is not None and by_server(again)["ns2"] is AnswerState.TIMEOUT
    assert monitor.report is not None and monitor.report is not first
    rows = {s.site: s for s in monitor.report.sites}
    assert rows[site.name] is again and all(
        by_server(s)["ns2"] is AnswerState.MATCH for s in monitor.report.sites if s.site != site.name)
    assert asyncio.run(monitor.sweep_site("no-such-site")) is None


def test_lab_heal_makes_the_lagging_secondary_catch_up(lab: Lab, inv: Inventory, state: StateFile,
                                                        moved: Site) -> None:
    assert moved.standby is not None
    asyncio.run(replace_site_address(inv, moved, host=moved.standby, state=state))
    placement.record_move(state, moved.name, moved.standby, previous=moved.host)
    assert by_server(sweep(inv, state)[moved.name])["ns3"] is AnswerState.MISMATCH  # never notified
    assert any(line.startswith("DNS: ") and "ns3" in line for line in lab.heal())
    wait_for(lambda: by_server(sweep(inv, state)[moved.name])["ns3"] is AnswerState.MATCH, "ns3 to transfer")
