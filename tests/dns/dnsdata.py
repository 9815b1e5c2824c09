"""Captured real DNS responses (tests/data/dns) and small builders for the DNS tests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import dns.message

from cockpit.dns.model import Answer, AnswerState, Server, ServerKind

DATA = Path(__file__).resolve().parent.parent / "data" / "dns"
T0 = datetime(2026, 11, 25, 19, 0, 0, tzinfo=UTC)
SITE = "web1-site.example.test"
NS1 = Server("ns1", "198.18.0.31", ServerKind.AUTHORITATIVE)
NS2 = Server("ns2", "198.18.0.32", ServerKind.AUTHORITATIVE)
NS3 = Server("ns3", "198.18.0.33", ServerKind.AUTHORITATIVE)
RES1 = Server("res1", "198.18.0.41", ServerKind.RESOLVER)
RES2 = Server("res2", "198.18.0.42", ServerKind.RESOLVER)


def wire(name: str) -> bytes:
    return (DATA / name).read_bytes()


def message(name: str) -> dns.message.Message:
    return dns.message.from_wire(wire(name))


def answer(server: Server, state: AnswerState, addresses: tuple[str, ...] = (), ttl: int | None = None,
           at: datetime = T0, negative_ttl: int | None = None, qtype: str = "A") -> Answer:
    return Answer(server=server, qtype=qtype, state=state, queried_at=at, addresses=addresses, ttl=ttl,
                  negative_ttl=negative_ttl, rcode="NOERROR" if state.answered else state.value.upper())
