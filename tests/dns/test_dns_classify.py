"""Classification of captured real BIND answers, and of what no server should send."""

from __future__ import annotations

import os
from datetime import timedelta

import dns.exception
import dns.flags
import dns.message
import dns.query
import pytest
from dnsdata import NS1, RES1, SITE, T0, message, wire

from cockpit.dns.classify import classify, classify_error, negative_ttl
from cockpit.dns.model import AnswerState


def _classify(name: str, server=NS1, qname: str = SITE, qtype: str = "A", expected=("203.0.113.1",)):
    return classify(message(name), server=server, qname=qname, qtype=qtype, expected=expected, queried_at=T0)


def test_authoritative_answer_matching_the_expected_address() -> None:
    a = _classify("auth_match.bin")
    assert a.state is AnswerState.MATCH and a.matches
    assert a.addresses == ("203.0.113.1",) and a.ttl == 60 and a.rcode == "NOERROR"
    assert a.expires_at is None  # an authoritative answer is not a cache


def test_old_address_is_a_mismatch_not_an_error() -> None:
    a = _classify("auth_match.bin", expected=("203.0.113.2",))
    assert a.state is AnswerState.MISMATCH and not a.matches and a.error is None


def test_cached_resolver_answer_gives_remaining_ttl_and_expiry() -> None:
    first, cached = _classify("resolver_first.bin", server=RES1), _classify("resolver_cached.bin", server=RES1,
                                                                            expected=("203.0.113.9",))
    assert first.ttl == 60 and cached.ttl == 58
    assert cached.state is AnswerState.MISMATCH
    assert cached.expires_at == T0 + timedelta(seconds=58)


def test_nxdomain_is_its_own_state_with_the_rfc2308_negative_ttl() -> None:
    a = _classify("auth_nxdomain.bin", qname="nosuch.example.test")
    assert a.state is AnswerState.NXDOMAIN and a.rcode == "NXDOMAIN" and a.negative_ttl == 60
    r = _classify("resolver_nxdomain.bin", server=RES1, qname="nosuch.example.test")
    assert r.state is AnswerState.NXDOMAIN and r.expires_at == T0 + timedelta(seconds=r.negative_ttl or 0)


def test_nodata_is_not_nxdomain() -> None:
    a = _classify("auth_nodata_aaaa.bin", qtype="AAAA", expected=())
    assert a.state is AnswerState.NODATA and a.negative_ttl == 60 and "AAAA" in a.describe()


def test_servfail_and_refused() -> None:
    assert _classify("resolver_servfail.bin", server=RES1).state is AnswerState.SERVFAIL
    assert _classify("auth_refused_other_zone.bin", qname="www.example.org").state is AnswerState.REFUSED


def test_negative_ttl_is_min_of_soa_ttl_and_minimum() -> None:
    m = message("auth_nxdomain.bin")
    soa = m.authority[0]
    soa.ttl = 30
    assert negative_ttl(m) == 30
    assert negative_ttl(message("auth_match.bin")) is None


def test_truncated_udp_answer_raises_truncated_and_the_tcp_answer_has_everything() -> None:
    with pytest.raises(dns.message.Truncated):
        dns.message.from_wire(wire("auth_truncated_udp.bin"), raise_on_truncation=True)
    full = _classify("auth_big_tcp.bin", qname="big.example.test",
                     expected=tuple(f"203.0.113.{i}" for i in range(1, 61)))
    assert full.state is AnswerState.MATCH and len(full.addresses) == 60


def test_a_referral_from_an_authoritative_server_is_lame() -> None:
    m = message("auth_nodata_aaaa.bin")
    m.flags &= ~dns.flags.AA  # what a server that lost the zone sends (composed from the capture)
    a = classify(m, server=NS1, qname=SITE, qtype="AAAA", expected=(), queried_at=T0)
    assert a.state is AnswerState.LAME
    assert classify(m, server=RES1, qname=SITE, qtype="AAAA", expected=(), queried_at=T0).state is AnswerState.NODATA


def test_cname_chain_is_followed_within_the_answer() -> None:
    m = dns.message.from_text(
        "id 1\nopcode QUERY\nrcode NOERROR\nflags QR AA\n;QUESTION\nwww.example.test. IN A\n;ANSWER\n"
        "www.example.test. 60 IN CNAME web1-site.example.test.\nweb1-site.example.test. 40 IN A 203.0.113.1\n")
    a = classify(m, server=NS1, qname="www.example.test", qtype="A", expected=("203.0.113.1",), queried_at=T0)
    assert a.state is AnswerState.MATCH and a.ttl == 40


def test_cname_loop_does_not_hang() -> None:
    m = dns.message.from_text(
        "id 1\nopcode QUERY\nrcode NOERROR\nflags QR AA\n;QUESTION\na.example.test. IN A\n;ANSWER\n"
        "a.example.test. 60 IN CNAME b.example.test.\nb.example.test. 60 IN CNAME a.example.test.\n")
    assert classify(m, server=NS1, qname="a.example.test", qtype="A", expected=("203.0.113.1",),
                    queried_at=T0).state is AnswerState.NODATA


@pytest.mark.parametrize("error, state, words", [
    (dns.exception.Timeout(), AnswerState.TIMEOUT, "within 2 s"),
    (TimeoutError(), AnswerState.TIMEOUT, "within 2 s"),
    (dns.query.BadResponse(), AnswerState.ERROR, "wrong id"),
    (dns.message.ShortHeader(), AnswerState.ERROR, "malformed"),
    (ConnectionRefusedError(111, "Connection refused"), AnswerState.ERROR, "Connection refused"),
    (ValueError("x\x1b[31mred"), AnswerState.ERROR, "ValueError"),
])
def test_query_failures_are_states(error: BaseException, state: AnswerState, words: str) -> None:
    a = classify_error(error, server=NS1, qtype="A", queried_at=T0, timeout=2)
    assert a.state is state and words in (a.error or "") and "\x1b" not in (a.error or "")


@pytest.mark.parametrize("seed", range(40))
def test_garbage_bytes_never_escape_as_anything_but_an_error(seed: int) -> None:
    data = os.urandom(seed * 7 % 300)
    try:
        m = dns.message.from_wire(data)
    except Exception as e:  # what the query layer gets
        a = classify_error(e, server=NS1, qtype="A", queried_at=T0, timeout=2)
        assert a.state is AnswerState.ERROR
        return
    a = classify(m, server=NS1, qname=SITE, qtype="A", expected=("203.0.113.1",), queried_at=T0)
    assert isinstance(a.state, AnswerState)
