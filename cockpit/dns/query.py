"""One DNS query, asynchronous: UDP first, TCP again when the UDP answer is
truncated; a hard deadline over both; a shared semaphore caps how many run at
once across the whole sweep. Never raises: the result is a classified Answer."""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from datetime import datetime

import dns.asyncquery
import dns.exception
import dns.flags
import dns.message
import dns.rdatatype

from cockpit import clock
from cockpit.dns.classify import classify, classify_error
from cockpit.dns.model import Answer, Server, ServerKind

EDNS_PAYLOAD = 1232  # the DNS flag day 2020 size: no fragmentation
TRIES = 2  # a lost UDP packet is not a dead server: one more try before "timeout" (dig tries 3 times)


def make_query(qname: str, qtype: str, *, recursion: bool) -> dns.message.QueryMessage:
    q = dns.message.make_query(qname, dns.rdatatype.from_text(qtype), use_edns=0, payload=EDNS_PAYLOAD)
    if not recursion:
        q.flags &= ~dns.flags.RD
    return q


async def exchange(q: dns.message.Message, server: Server, timeout: float) -> tuple[dns.message.Message, bool]:
    """The response to ``q`` and whether it came over TCP. Raises what dnspython raises."""
    async with asyncio.timeout(timeout * 2 + 0.5):  # UDP then TCP, each with its own timeout
        return await dns.asyncquery.udp_with_fallback(q, server.address, timeout=timeout, port=server.port)


class QueryFailed(Exception):
    """The last try of :func:`exchange_tried` failed: ``cause`` is what dnspython (or the deadline) raised."""

    def __init__(self, cause: Exception, at: datetime, tries: int) -> None:
        super().__init__(str(cause))
        self.cause, self.at, self.tries = cause, at, tries


async def exchange_tried(q: dns.message.Message, server: Server,
                         timeout: float) -> tuple[dns.message.Message, bool, datetime]:
    """:func:`exchange`, tried again (up to :data:`TRIES`) while it times out: the response, whether it came
    over TCP and when the answered try was sent. Raises :class:`QueryFailed` for the last failure."""
    for attempt in range(1, TRIES + 1):
        at = clock.now()
        try:
            response, tcp = await exchange(q, server, timeout)
            return response, tcp, at
        except asyncio.CancelledError:
            raise
        except Exception as e:  # any failure is this server's, never the sweep's
            if attempt < TRIES and isinstance(e, dns.exception.Timeout | TimeoutError):
                continue
            raise QueryFailed(e, at, attempt) from e
    raise AssertionError("unreachable: the last try returns or raises")


async def ask(server: Server, qname: str, qtype: str, *, expected: Collection[str], timeout: float,
              limit: asyncio.Semaphore) -> Answer:
    q = make_query(qname, qtype, recursion=server.kind is ServerKind.RESOLVER)
    async with limit:
        try:
            response, tcp, at = await exchange_tried(q, server, timeout)
        except QueryFailed as f:  # every failure is this query's answer, never the sweep's
            return classify_error(f.cause, server=server, qtype=qtype, queried_at=f.at, timeout=timeout,
                                  tries=f.tries)
    try:
        return classify(response, server=server, qname=qname, qtype=qtype, expected=expected, queried_at=at,
                        tcp=tcp)
    except Exception as e:  # a response dnspython parsed but we cannot read
        return classify_error(e, server=server, qtype=qtype, queried_at=at, timeout=timeout)
