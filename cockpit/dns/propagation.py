"""A site's propagation from its answers (pure): who agrees, how far it has
got (authoritative and recursive servers counted apart), when the last old
answer is gone, how bad it is, and the worst failure to name."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from cockpit.dns.model import STATE_RANK, Answer, AnswerState, DnsChange, ServerKind, SiteDns
from cockpit.severity import Severity


def _percent(agree: int, total: int) -> float | None:
    return None if total == 0 else round(100.0 * agree / total, 1)


def _per_server(answers: Sequence[Answer]) -> dict[str, list[Answer]]:
    out: dict[str, list[Answer]] = {}
    for a in answers:
        out.setdefault(a.server.name, []).append(a)
    return out


def done_by(answers: Sequence[Answer], change: DnsChange | None) -> tuple[datetime | None, tuple[str, ...]]:
    """When the last old answer is gone, and the authoritative servers that
    still serve an old zone (then the time is not predictable: None).

    Resolvers answering old (or negative) answers count with their remaining
    TTL; a change the cockpit made counts with the old record's TTL, for the
    caches it cannot see."""
    waiting = tuple(sorted({a.server.name for a in answers
                            if a.server.kind is ServerKind.AUTHORITATIVE and a.state is AnswerState.MISMATCH}))
    times = [t for t in (a.expires_at for a in answers) if t is not None]
    if change is not None:
        times.append(change.at + timedelta(seconds=change.old_ttl))
    if waiting:
        return None, waiting
    return (max(times) if times else None), ()


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
             change: DnsChange | None, problem: str | None = None) -> SiteDns:
    servers = _per_server(answers)
    agree = {n for n, xs in servers.items() if all(a.matches for a in xs)}
    kinds = {n: xs[0].server.kind for n, xs in servers.items()}
    auth = [n for n, k in kinds.items() if k is ServerKind.AUTHORITATIVE]
    rec = [n for n, k in kinds.items() if k is ServerKind.RESOLVER]
    bad = [a for a in answers if not a.matches]
    worst = min(bad, key=lambda a: (STATE_RANK[a.state], a.server.kind is ServerKind.RESOLVER, a.server.name),
                default=None)
    when, waiting = done_by(answers, change)
    return SiteDns(
        site=site, name=name, host=host, expected=tuple(expected), answers=tuple(answers),
        severity=Severity.UNKNOWN if problem else severity(answers, expected),
        authoritative_percent=_percent(len(agree & set(auth)), len(auth)),
        resolver_percent=_percent(len(agree & set(rec)), len(rec)),
        propagated_percent=_percent(len(agree), len(servers)),
        done_by=when, waiting_for=waiting, worst=worst, problem=problem, change=change,
    )
