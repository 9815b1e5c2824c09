"""The ``dns`` key of ``status --json`` (a contract) and the human table's DNS lines."""

from __future__ import annotations

import json

from dnsdata import NS1, NS3, RES1, T0, answer

from cockpit.dns.model import AnswerState, DnsReport, SoaStatus
from cockpit.dns.propagation import evaluate
from cockpit.dns.to_json import dns_json
from cockpit.severity import Severity
from cockpit.status.dns_table import dns_lines

M, X = AnswerState.MATCH, AnswerState.MISMATCH
NEW, OLD = ("203.0.113.20",), ("203.0.113.10",)


def _report() -> DnsReport:
    acme = evaluate(site="acme", name="acme.example.test", host="web2", expected=NEW, change=None,
                    answers=[answer(NS1, M, NEW, 240), answer(NS3, X, OLD, 240), answer(RES1, X, OLD, 100)])
    gone = evaluate(site="gone", name="gone.example.test", host="web1", expected=OLD, change=None,
                    answers=[answer(NS1, AnswerState.NXDOMAIN, negative_ttl=60),
                             answer(RES1, AnswerState.NXDOMAIN, negative_ttl=60)])
    ok = evaluate(site="fine", name="fine.example.test", host="web1", expected=OLD, change=None,
                  answers=[answer(NS1, M, OLD, 240), answer(RES1, M, OLD, 240)])
    return DnsReport("example.test", (ok, acme, gone), (SoaStatus(NS1, 2026112502, T0),
                                                        SoaStatus(NS3, 2026112501, T0, lagging=True)), T0)


def test_json_has_the_contract_keys_worst_first() -> None:
    doc = dns_json(_report())
    json.dumps(doc)
    assert [s["site"] for s in doc] == ["gone", "acme", "fine"]
    acme = doc[1]
    assert {"site", "name", "expected", "propagated_percent", "done_by", "severity", "answers"} <= set(acme)
    assert acme["severity"] == "warning" and acme["propagated_percent"] == 33.3 and acme["done_by"] is None
    assert doc[0]["severity"] == "critical"
    ns3 = next(a for a in acme["answers"] if a["server"] == "ns3")
    assert ns3 == ns3 | {"kind": "authoritative", "addresses": ["203.0.113.10"], "ttl": 240, "rcode": "NOERROR",
                         "matches": False, "error": None, "soa_serial": 2026112501, "lagging": True}
    res = next(a for a in acme["answers"] if a["server"] == "res1")
    assert res["kind"] == "resolver" and res["soa_serial"] is None and res["expires_at"] == "2026-11-25T19:01:40Z"


def test_report_severity_and_table_lines() -> None:
    report = _report()
    assert report.severity is Severity.CRITICAL
    lines = dns_lines({"dns": dns_json(report)})
    assert lines[0] == "dns: 1/3 sites fully propagated"
    assert lines[1].split()[:3] == ["gone", "CRITICAL", "0%"]
    assert "waiting for ns3" in lines[2]


def test_a_zone_that_is_itself_wrong_is_said_so_not_waiting() -> None:
    soa = (SoaStatus(NS1, 2026112502, T0), SoaStatus(NS3, 2026112501, T0, lagging=True))
    moved = evaluate(site="acme", name="acme.example.test", host="web2", expected=NEW, change=None, soa=soa,
                     answers=[answer(NS1, X, ("203.0.113.99",), 60), answer(NS3, M, NEW, 60),
                              answer(RES1, X, ("203.0.113.99",), 60)])
    (doc,) = dns_json(DnsReport("example.test", (moved,), soa, T0))
    assert doc["wrong_in_zone"] == ["ns1"] and doc["waiting_for"] == [] and doc["done_by"] is None
    (_, line) = dns_lines({"dns": [doc]})
    assert "wrong in the newest zone on ns1" in line and "waiting for" not in line
