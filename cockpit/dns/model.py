"""What the DNS engine knows: each server's answer for each site, the SOA
serials, and each site's propagation (plain frozen data, no I/O)."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from cockpit.severity import Severity


class ServerKind(enum.StrEnum):
    AUTHORITATIVE = "authoritative"
    RESOLVER = "resolver"


class AnswerState(enum.StrEnum):
    """One answer, classified. Each failure is its own state: they are different problems."""

    MATCH = "match"  # the expected addresses, exactly
    MISMATCH = "mismatch"  # addresses, but not the expected ones (an old or wrong answer)
    NXDOMAIN = "nxdomain"  # the name does not exist
    NODATA = "nodata"  # the name exists, with no record of this type
    SERVFAIL = "servfail"
    REFUSED = "refused"
    RCODE = "rcode"  # any other rcode (FORMERR, NOTIMP...)
    LAME = "lame"  # an authoritative server that is not authoritative for the zone
    TIMEOUT = "timeout"  # no answer in time (a stopped or unreachable server)
    ERROR = "error"  # a broken or hostile response, or a network error

    @property
    def answered(self) -> bool:
        """The server gave addresses (right or wrong)."""
        return self in (AnswerState.MATCH, AnswerState.MISMATCH)


# Worst first: which failure a site row names when there are several.
STATE_RANK: dict[AnswerState, int] = {
    AnswerState.TIMEOUT: 0, AnswerState.ERROR: 1, AnswerState.SERVFAIL: 2, AnswerState.NXDOMAIN: 3,
    AnswerState.REFUSED: 4, AnswerState.LAME: 5, AnswerState.RCODE: 6, AnswerState.NODATA: 7,
    AnswerState.MISMATCH: 8, AnswerState.MATCH: 9,
}


@dataclass(frozen=True)
class Server:
    name: str
    address: str
    kind: ServerKind
    port: int = 53


@dataclass(frozen=True)
class Answer:
    server: Server
    qtype: str  # "A" or "AAAA"
    state: AnswerState
    queried_at: datetime
    addresses: tuple[str, ...] = ()
    ttl: int | None = None  # of the address records (remaining TTL, from a cache)
    negative_ttl: int | None = None  # a negative answer's cache time (RFC 2308: min(SOA TTL, SOA minimum))
    rcode: str | None = None
    error: str | None = None  # printable, for ERROR, TIMEOUT and LAME
    tcp: bool = False  # answered over TCP after a truncated UDP answer

    @property
    def matches(self) -> bool:
        return self.state is AnswerState.MATCH

    @property
    def expires_at(self) -> datetime | None:
        """When a cached wrong or negative answer is gone (resolvers only: an
        authoritative server's wrong answer lasts until it gets the new zone)."""
        if self.server.kind is not ServerKind.RESOLVER:
            return None
        if self.state is AnswerState.MISMATCH and self.ttl is not None:
            return self.queried_at + timedelta(seconds=self.ttl)
        if self.state in (AnswerState.NXDOMAIN, AnswerState.NODATA) and self.negative_ttl is not None:
            return self.queried_at + timedelta(seconds=self.negative_ttl)
        return None

    def describe(self) -> str:
        """A few words: ``timeout``, ``SERVFAIL``, ``203.0.113.9``..."""
        if self.state in (AnswerState.MATCH, AnswerState.MISMATCH):
            return ", ".join(self.addresses)
        if self.state in (AnswerState.TIMEOUT, AnswerState.ERROR, AnswerState.LAME):
            return self.error or self.state.value
        if self.state is AnswerState.NODATA:
            return f"no {self.qtype} record"
        return self.rcode or self.state.value


@dataclass(frozen=True)
class SoaStatus:
    server: Server
    serial: int | None
    queried_at: datetime
    error: str | None = None  # why there is no serial
    lagging: bool = False  # behind the highest serial seen


@dataclass(frozen=True)
class DnsChange:
    """A change the cockpit made to a site's record (from the state file)."""

    site: str
    name: str
    at: datetime
    old_addresses: tuple[str, ...]
    new_addresses: tuple[str, ...]
    old_ttl: int  # the old record's TTL, or the negative-caching TTL if there was none


@dataclass(frozen=True)
class SiteDns:
    site: str
    name: str  # the fully qualified name queried
    host: str  # the host the site is on now
    expected: tuple[str, ...]  # addresses it should resolve to now (A and AAAA)
    answers: tuple[Answer, ...]
    severity: Severity
    authoritative_percent: float | None  # of authoritative servers that agree
    resolver_percent: float | None
    propagated_percent: float | None  # of all servers
    done_by: datetime | None  # when the last old answer is gone (None: not predictable, or nothing old)
    waiting_for: tuple[str, ...] = ()  # authoritative servers still serving the old zone
    # authoritative servers that hold the newest zone (SOA serial) and still answer otherwise: the zone itself
    # is wrong (a change behind the cockpit's back, an update never made), and no waiting fixes it
    wrong_in_zone: tuple[str, ...] = ()
    worst: Answer | None = None  # the worst answer that does not match
    problem: str | None = None  # a site-level problem (no expected address...)
    change: DnsChange | None = None

    @property
    def agreeing(self) -> int:
        return len({a.server.name for a in self.answers} - {a.server.name for a in self.answers if not a.matches})

    @property
    def servers(self) -> int:
        return len({a.server.name for a in self.answers})


@dataclass(frozen=True)
class DnsReport:
    zone: str
    sites: tuple[SiteDns, ...]
    soa: tuple[SoaStatus, ...]
    swept_at: datetime
    servers: tuple[Server, ...] = ()
    problems: tuple[str, ...] = field(default=())  # fleet-level (no servers, key missing...)

    @property
    def severity(self) -> Severity:
        from cockpit.severity import worst

        return worst([s.severity for s in self.sites] + ([Severity.UNKNOWN] if self.problems else []))
