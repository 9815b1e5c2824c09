"""Classify one DNS response (or the exception a query raised) into an
:class:`~cockpit.dns.model.Answer`. Pure functions: unit-tested on captured
real answers (tests/data/dns)."""

from __future__ import annotations

import asyncio
from collections.abc import Collection
from datetime import datetime

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.query
import dns.rcode
import dns.rdatatype
import dns.rrset

from cockpit.dns.model import Answer, AnswerState, Server, ServerKind
from cockpit.untrusted import printable

MAX_CNAME_HOPS = 8
_RCODE_STATE = {
    dns.rcode.NXDOMAIN: AnswerState.NXDOMAIN,
    dns.rcode.SERVFAIL: AnswerState.SERVFAIL,
    dns.rcode.REFUSED: AnswerState.REFUSED,
}


def negative_ttl(response: dns.message.Message) -> int | None:
    """RFC 2308: a negative answer is cached for min(SOA TTL, SOA minimum) of
    the SOA in the authority section (a cache's SOA TTL is already counting down)."""
    for rrset in response.authority:
        if rrset.rdtype == dns.rdatatype.SOA and len(rrset):
            return int(min(rrset.ttl, rrset[0].minimum))
    return None


def _final_rrset(response: dns.message.Message, qname: dns.name.Name,
                 rdtype: dns.rdatatype.RdataType) -> dns.rrset.RRset | None:
    name = qname
    for _ in range(MAX_CNAME_HOPS):
        found = next((r for r in response.answer if r.name == name and r.rdtype == rdtype), None)
        if found is not None:
            return found
        cname = next((r for r in response.answer if r.name == name and r.rdtype == dns.rdatatype.CNAME), None)
        if cname is None or not len(cname):
            return None
        name = cname[0].target
    return None


def classify(response: dns.message.Message, *, server: Server, qname: str, qtype: str,
             expected: Collection[str], queried_at: datetime, tcp: bool = False) -> Answer:
    rcode = response.rcode()
    rcode_text = dns.rcode.to_text(rcode)
    base = {"server": server, "qtype": qtype, "queried_at": queried_at, "rcode": rcode_text, "tcp": tcp}
    if rcode != dns.rcode.NOERROR:
        state = _RCODE_STATE.get(rcode, AnswerState.RCODE)
        neg = negative_ttl(response) if state is AnswerState.NXDOMAIN else None
        return Answer(state=state, negative_ttl=neg, **base)  # type: ignore[arg-type]
    rdtype = dns.rdatatype.from_text(qtype)
    rrset = _final_rrset(response, dns.name.from_text(qname), rdtype)
    if rrset is None:
        if server.kind is ServerKind.AUTHORITATIVE and not response.flags & dns.flags.AA:
            return Answer(state=AnswerState.LAME, error="not authoritative for the zone (a referral or lame "
                          "delegation)", **base)  # type: ignore[arg-type]
        return Answer(state=AnswerState.NODATA, negative_ttl=negative_ttl(response), **base)  # type: ignore[arg-type]
    addresses = tuple(sorted({printable(rd.to_text(), 64) for rd in rrset}))
    state = AnswerState.MATCH if expected and set(addresses) == set(expected) else AnswerState.MISMATCH
    return Answer(state=state, addresses=addresses, ttl=int(rrset.ttl), **base)  # type: ignore[arg-type]


def classify_error(error: BaseException, *, server: Server, qtype: str, queried_at: datetime,
                   timeout: float, tries: int = 1) -> Answer:
    """A query that raised: a timeout is its own state; anything else is a per-query error."""
    if isinstance(error, dns.exception.Timeout | asyncio.TimeoutError | TimeoutError):
        return Answer(server=server, qtype=qtype, state=AnswerState.TIMEOUT, queried_at=queried_at,
                      error=f"no answer within {timeout:g} s" + (f" ({tries} tries)" if tries > 1 else ""))
    if isinstance(error, dns.query.BadResponse):
        what = "an answer that does not match the query (wrong id or question)"
    elif isinstance(error, dns.message.Truncated):
        what = "a truncated answer, also over TCP"
    elif isinstance(error, dns.exception.FormError | dns.message.ShortHeader | dns.message.TrailingJunk):
        what = f"a malformed answer ({type(error).__name__})"
    elif isinstance(error, OSError):
        what = f"network error: {error.strerror or error}"
    else:
        what = f"{type(error).__name__}: {error}"
    return Answer(server=server, qtype=qtype, state=AnswerState.ERROR, queried_at=queried_at,
                  error=printable(what, 200))
