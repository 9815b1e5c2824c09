"""SOA serials of the authoritative servers, and which of them lag."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace

import dns.rcode
import dns.rdatatype

from cockpit.dns.classify import classify_error
from cockpit.dns.model import Server, SoaStatus
from cockpit.dns.query import QueryFailed, exchange_tried, make_query
from cockpit.untrusted import printable


def serial_lt(a: int, b: int) -> bool:
    """RFC 1982 serial number arithmetic: is ``a`` before ``b``?"""
    return a != b and ((a < b and b - a < 2**31) or (a > b and a - b > 2**31))


def mark_lagging(statuses: Sequence[SoaStatus]) -> list[SoaStatus]:
    serials = [s.serial for s in statuses if s.serial is not None]
    if not serials:
        return list(statuses)
    newest = serials[0]
    for s in serials[1:]:
        if serial_lt(newest, s):
            newest = s
    return [replace(s, lagging=s.serial is not None and serial_lt(s.serial, newest)) for s in statuses]


async def soa_serial(server: Server, zone: str, *, timeout: float, limit: asyncio.Semaphore) -> SoaStatus:
    """The server's serial; tried twice before a timeout, as an address query is (one lost packet)."""
    q = make_query(zone, "SOA", recursion=False)
    async with limit:
        try:
            response, _, at = await exchange_tried(q, server, timeout)
        except QueryFailed as f:
            answer = classify_error(f.cause, server=server, qtype="SOA", queried_at=f.at, timeout=timeout,
                                    tries=f.tries)
            return SoaStatus(server, None, f.at, error=answer.error or "no answer")
    if response.rcode() != dns.rcode.NOERROR:
        return SoaStatus(server, None, at, error=dns.rcode.to_text(response.rcode()))
    for rrset in response.answer:
        if rrset.rdtype == dns.rdatatype.SOA and len(rrset):
            try:
                return SoaStatus(server, int(rrset[0].serial), at)
            except (TypeError, ValueError) as e:
                return SoaStatus(server, None, at, error=printable(f"unreadable SOA: {e}", 120))
    return SoaStatus(server, None, at, error="no SOA record in the answer")
