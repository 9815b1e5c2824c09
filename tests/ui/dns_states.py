"""A DNS report in the state of a failover half-way (for DNS pane tests and snapshots)."""

from __future__ import annotations

from datetime import timedelta

from ui_states import NOW

from cockpit.dns.model import Answer, AnswerState, DnsChange, DnsReport, Server, ServerKind, SoaStatus
from cockpit.dns.propagation import evaluate

NS = [Server(n, f"198.18.0.3{i}", ServerKind.AUTHORITATIVE) for i, n in enumerate(("ns1", "ns2", "ns3"), 1)]
RES = [Server("res1", "198.18.0.41", ServerKind.RESOLVER), Server("res2", "198.18.0.42", ServerKind.RESOLVER)]
AT = NOW - timedelta(seconds=2)
OLD, NEW = ("203.0.113.10",), ("203.0.113.20",)


def _a(server: Server, state: AnswerState, addresses: tuple[str, ...] = (), ttl: int | None = None,
       error: str | None = None, neg: int | None = None) -> Answer:
    rcode = {AnswerState.NXDOMAIN: "NXDOMAIN", AnswerState.SERVFAIL: "SERVFAIL"}.get(
        state, None if state in (AnswerState.TIMEOUT, AnswerState.ERROR) else "NOERROR")
    return Answer(server=server, qtype="A", state=state, queried_at=AT, addresses=addresses, ttl=ttl,
                  rcode=rcode, error=error, negative_ttl=neg)


def failover_report() -> DnsReport:
    M, X = AnswerState.MATCH, AnswerState.MISMATCH
    ns1, ns2, ns3 = NS
    res1, res2 = RES
    change = DnsChange("acme", "acme.example.test", NOW - timedelta(seconds=40), OLD, NEW, 300)
    sites = [
        evaluate(site="acme", name="acme.example.test", host="web2", expected=NEW, change=change,
                 answers=[_a(ns1, M, NEW, 300), _a(ns2, M, NEW, 300), _a(ns3, M, NEW, 300),
                          _a(res1, X, OLD, 212), _a(res2, M, NEW, 300)]),
        evaluate(site="globex", name="globex.example.test", host="web1", expected=("203.0.113.11",), change=None,
                 answers=[_a(s, M, ("203.0.113.11",), 300) for s in (*NS, *RES)]),
        evaluate(site="initech", name="initech.example.test", host="web3", expected=("203.0.113.12",), change=None,
                 answers=[_a(ns1, M, ("203.0.113.12",), 300),
                          _a(ns2, AnswerState.TIMEOUT, error="no answer within 2 s"),
                          _a(ns3, X, ("203.0.113.99",), 300), _a(res1, AnswerState.SERVFAIL),
                          _a(res2, M, ("203.0.113.12",), 120)]),
        evaluate(site="hooli", name="hooli.example.test", host="web3", expected=("203.0.113.12",), change=None,
                 answers=[_a(s, AnswerState.NXDOMAIN, neg=60) for s in (*NS, *RES)]),
        evaluate(site="[bold]evil[/]", name="evil.example.test", host="web1", expected=("203.0.113.11",),
                 change=None, answers=[_a(ns1, AnswerState.ERROR, error="bad\x1b[31m answer [red]x[/]"),
                                       *[_a(s, M, ("203.0.113.11",), 300) for s in (ns2, ns3, *RES)]]),
    ]
    soa = (SoaStatus(ns1, 2026112502, AT), SoaStatus(ns2, None, AT, error="no answer within 2 s"),
           SoaStatus(ns3, 2026112501, AT, lagging=True))
    return DnsReport(zone="example.test", sites=tuple(sites), soa=soa, swept_at=AT, servers=(*NS, *RES))
