"""A site's propagation, "done by" time and severity from its answers (pure)."""

from __future__ import annotations

from datetime import timedelta

from dnsdata import NS1, NS2, NS3, RES1, RES2, T0, answer

from cockpit.dns.model import AnswerState, DnsChange, SoaStatus
from cockpit.dns.propagation import evaluate
from cockpit.severity import Severity

NEW, OLD = ("203.0.113.20",), ("203.0.113.10",)
M, X = AnswerState.MATCH, AnswerState.MISMATCH


def _site(answers, change=None, expected=NEW, soa=None):
    return evaluate(site="acme", name="acme.example.test", host="web2", expected=expected, answers=answers,
                    change=change, soa=soa)


def test_everyone_agrees_is_ok_and_green() -> None:
    s = _site([answer(NS1, M, NEW, 60), answer(NS2, M, NEW, 60), answer(RES1, M, NEW, 60)])
    assert s.severity is Severity.OK and s.propagated_percent == 100.0
    assert s.authoritative_percent == 100.0 and s.resolver_percent == 100.0
    assert s.worst is None and s.done_by is None


def test_resolver_with_old_answer_gives_done_by_from_its_remaining_ttl() -> None:
    s = _site([answer(NS1, M, NEW, 60), answer(NS2, M, NEW, 60), answer(RES1, X, OLD, 41),
               answer(RES2, X, OLD, 12)])
    assert s.severity is Severity.WARNING
    assert s.authoritative_percent == 100.0 and s.resolver_percent == 0.0 and s.propagated_percent == 50.0
    assert s.done_by == T0 + timedelta(seconds=41)  # the latest cache to expire
    assert s.worst is not None and s.worst.server.name == "res1"


def test_lagging_authoritative_server_makes_done_by_unpredictable() -> None:
    s = _site([answer(NS1, M, NEW, 60), answer(NS2, M, NEW, 60), answer(NS3, X, OLD, 60),
               answer(RES1, X, OLD, 30)])
    assert s.done_by is None and s.waiting_for == ("ns3",)
    assert round(s.authoritative_percent or 0, 1) == 66.7


def test_change_made_by_the_cockpit_counts_with_the_old_ttl() -> None:
    change = DnsChange("acme", "acme.example.test", T0 - timedelta(seconds=10), OLD, NEW, old_ttl=300)
    s = _site([answer(NS1, M, NEW, 60), answer(RES1, M, NEW, 60)], change=change)
    assert s.severity is Severity.OK  # all agree that we can see...
    assert s.done_by == T0 + timedelta(seconds=290)  # ...but caches elsewhere may hold the old answer


def test_cached_negative_answer_expires_after_its_negative_ttl() -> None:
    s = _site([answer(NS1, M, NEW, 60), answer(RES1, AnswerState.NXDOMAIN, negative_ttl=25)])
    assert s.done_by == T0 + timedelta(seconds=25) and s.severity is Severity.WARNING


def test_nobody_resolves_is_critical_and_the_worst_failure_is_named() -> None:
    s = _site([answer(NS1, AnswerState.TIMEOUT), answer(NS2, AnswerState.NXDOMAIN),
               answer(RES1, AnswerState.SERVFAIL)])
    assert s.severity is Severity.CRITICAL and s.propagated_percent == 0.0
    assert s.worst is not None and s.worst.state is AnswerState.TIMEOUT


def test_nxdomain_everywhere_is_critical() -> None:
    s = _site([answer(NS1, AnswerState.NXDOMAIN), answer(RES1, AnswerState.NXDOMAIN)])
    assert s.severity is Severity.CRITICAL


def test_one_timeout_among_right_answers_is_a_warning() -> None:
    s = _site([answer(NS1, M, NEW, 60), answer(NS2, AnswerState.TIMEOUT), answer(RES1, M, NEW, 60)])
    assert s.severity is Severity.WARNING and s.worst is not None and s.worst.state is AnswerState.TIMEOUT
    assert s.agreeing == 2 and s.servers == 3


def test_a_server_agrees_only_when_all_its_record_types_match() -> None:
    s = evaluate(site="acme", name="acme.example.test", host="web2", expected=("203.0.113.20", "2001:db8::20"),
                 answers=[answer(NS1, M, NEW, 60), answer(NS1, X, ("2001:db8::10",), 60, qtype="AAAA")],
                 change=None)
    assert s.propagated_percent == 0.0


def test_no_expected_address_is_unknown() -> None:
    s = evaluate(site="acme", name="acme.example.test", host="web2", expected=(),
                 answers=[answer(NS1, X, OLD, 60)], change=None, problem="host web2 has no public_ip")
    assert s.severity is Severity.UNKNOWN and s.problem


def _serials(newest: tuple, lagging: tuple = (), failed: tuple = ()) -> list[SoaStatus]:
    return ([SoaStatus(s, 2026112502, T0) for s in newest] + [SoaStatus(s, 2026112501, T0, lagging=True)
                                                              for s in lagging]
            + [SoaStatus(s, None, T0, error="no answer within 2 s") for s in failed])


def test_a_wrong_answer_from_the_newest_zone_is_wrong_in_zone_not_waiting() -> None:
    # a change behind the cockpit's back: the primary and the secondary that follows it hold the newest
    # zone and answer another address; the lagging ns3 still has the expected one
    s = _site([answer(NS1, X, OLD, 60), answer(NS2, X, OLD, 60), answer(NS3, M, NEW, 60), answer(RES1, X, OLD, 30)],
              soa=_serials(newest=(NS1, NS2), lagging=(NS3,)))
    assert s.wrong_in_zone == ("ns1", "ns2") and s.waiting_for == () and s.done_by is None


def test_a_lagging_server_with_the_old_answer_is_waiting_not_wrong() -> None:
    s = _site([answer(NS1, M, NEW, 60), answer(NS2, M, NEW, 60), answer(NS3, X, OLD, 60), answer(RES1, X, OLD, 30)],
              soa=_serials(newest=(NS1, NS2), lagging=(NS3,)))
    assert s.waiting_for == ("ns3",) and s.wrong_in_zone == () and s.done_by is None


def test_no_record_in_the_newest_zone_is_wrong_in_zone_and_a_lagging_nxdomain_is_waiting() -> None:
    nx = AnswerState.NXDOMAIN
    s = _site([answer(NS1, nx, negative_ttl=60), answer(NS3, M, NEW, 60), answer(RES1, nx, negative_ttl=60)],
              soa=_serials(newest=(NS1,), lagging=(NS3,)))
    assert s.wrong_in_zone == ("ns1",) and s.done_by is None  # not the resolver's negative TTL: it will stay so
    s = _site([answer(NS1, M, NEW, 60), answer(NS3, nx, negative_ttl=60)], soa=_serials(newest=(NS1,), lagging=(NS3,)))
    assert s.waiting_for == ("ns3",) and s.wrong_in_zone == ()  # a new name ns3 has not transferred yet


def test_without_a_serial_a_wrong_address_counts_as_waiting() -> None:
    s = _site([answer(NS1, M, NEW, 60), answer(NS2, X, OLD, 60)], soa=_serials(newest=(NS1,), failed=(NS2,)))
    assert s.waiting_for == ("ns2",) and s.wrong_in_zone == ()
    s = _site([answer(NS1, M, NEW, 60), answer(RES1, X, OLD, 30)], soa=_serials(newest=(NS1,)))
    assert s.waiting_for == () and s.wrong_in_zone == () and s.done_by == T0 + timedelta(seconds=30)
