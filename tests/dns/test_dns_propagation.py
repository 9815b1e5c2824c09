"""A site's propagation, "done by" time and severity from its answers (pure)."""

from __future__ import annotations

from datetime import timedelta

from dnsdata import NS1, NS2, NS3, RES1, RES2, T0, answer

from cockpit.dns.model import AnswerState, DnsChange
from cockpit.dns.propagation import evaluate
from cockpit.severity import Severity

NEW, OLD = ("203.0.113.20",), ("203.0.113.10",)
M, X = AnswerState.MATCH, AnswerState.MISMATCH


def _site(answers, change=None, expected=NEW):
    return evaluate(site="acme", name="acme.example.test", host="web2", expected=expected, answers=answers,
                    change=change)


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
