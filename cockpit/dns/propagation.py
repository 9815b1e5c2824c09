"""A site's propagation from its answers (pure): who agrees, how far it has
got (authoritative and recursive servers counted apart), when the last old
answer is gone, how bad it is, and the worst failure to name."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from cockpit.dns.model import STATE_RANK, Answer, AnswerState, DnsChange, ServerKind, SiteDns, SoaStatus
from cockpit.severity import Severity


def _percent(agree: int, total: int) -> float | None:
    return None if total == 0 else round(100.0 * agree / total, 1)


def _per_server(answers: Sequence[Answer]) -> dict[str, list[Answer]]:
    out: dict[str, list[Answer]] = {}
    for a in answers:
        out.setdefault(a.server.name, []).append(a)
    return out


_NOT_THERE = (AnswerState.MISMATCH, AnswerState.NXDOMAIN, AnswerState.NODATA)  # an answer, but not the expected one


def newest_zone(soa: Sequence[SoaStatus]) -> frozenset[str]:
    """The authoritative servers whose SOA serial is the highest seen (they hold the newest zone)."""
    return frozenset(s.server.name for s in soa if s.serial is not None and not s.lagging)


def behind(answers: Sequence[Answer], soa: Sequence[SoaStatus] | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(waiting_for, wrong_in_zone): authoritative servers that answer otherwise than expected, split by
    their SOA serial. A lagging one is waiting for the newest zone (it will catch up); one holding the
    newest zone answers what the zone says, so the zone itself is wrong and no waiting fixes it. Without
    serials (``soa`` None, or a server's SOA query failed), a wrong address counts as waiting."""
    newest = newest_zone(soa) if soa is not None else frozenset()
    lagging = frozenset(s.server.name for s in soa or () if s.lagging)
    waiting: set[str] = set()
    wrong: set[str] = set()
    for a in answers:
        if a.server.kind is not ServerKind.AUTHORITATIVE or a.state not in _NOT_THERE:
            continue
        name = a.server.name
        if name in newest:
            wrong.add(name)
        elif name in lagging or a.state is AnswerState.MISMATCH:
            waiting.add(name)
    return tuple(sorted(waiting - wrong)), tuple(sorted(wrong))


def done_by(answers: Sequence[Answer], change: DnsChange | None,
            soa: Sequence[SoaStatus] | None = None) -> tuple[datetime | None, tuple[str, ...], tuple[str, ...]]:
    """When the last old answer is gone; the authoritative servers that still
    serve an old zone; those whose newest zone itself answers otherwise (in
    either case the time is not predictable: None).

    Resolvers answering old (or negative) answers count with their remaining
    TTL; a change the cockpit made counts with the old record's TTL, for the
    caches it cannot see."""
    waiting, wrong = behind(answers, soa)
    times = [t for t in (a.expires_at for a in answers) if t is not None]
    if change is not None:
        times.append(change.at + timedelta(seconds=change.old_ttl))
    if waiting or wrong:
        return None, waiting, wrong
    return (max(times) if times else None), (), ()


def severity(answers: Sequence[Answer], expected: Sequence[str]) -> Severity:
    if not expected:
        return Severity.UNKNOWN
    if not answers:
        return Severity.UNKNOWN
    if all(a.matches for a in answers):
        return Severity.OK
    if not any(a.state.answered for a in answers):
        return Severity.CRITICAL  # nobody resolves it (or NXDOMAIN everywhere)
    return Severity.WARNING


def evaluate(*, site: str, name: str, host: str, expected: Sequence[str], answers: Sequence[Answer],
             change: DnsChange | None, problem: str | None = None,
             soa: Sequence[SoaStatus] | None = None) -> SiteDns:
    """``soa``: this sweep's SOA serials (which authoritative servers hold the newest zone)."""
    servers = _per_server(answers)
    agree = {n for n, xs in servers.items() if all(a.matches for a in xs)}
    kinds = {n: xs[0].server.kind for n, xs in servers.items()}
    auth = [n for n, k in kinds.items() if k is ServerKind.AUTHORITATIVE]
    rec = [n for n, k in kinds.items() if k is ServerKind.RESOLVER]
    bad = [a for a in answers if not a.matches]
    worst = min(bad, key=lambda a: (STATE_RANK[a.state], a.server.kind is ServerKind.RESOLVER, a.server.name),
                default=None)
    when, waiting, wrong = done_by(answers, change, soa)
    return SiteDns(
        site=site, name=name, host=host, expected=tuple(expected), answers=tuple(answers),
        severity=Severity.UNKNOWN if problem else severity(answers, expected),
        authoritative_percent=_percent(len(agree & set(auth)), len(auth)),
        resolver_percent=_percent(len(agree & set(rec)), len(rec)),
        propagated_percent=_percent(len(agree), len(servers)),
        done_by=when, waiting_for=waiting, wrong_in_zone=wrong, worst=worst, problem=problem, change=change,
    )
