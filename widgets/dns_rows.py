"""DNS report -> the DNS pane's rows and summary line (pure functions, no Textual).

One row per site, worst first. The server cells hold one symbol per server,
in the report's order (✓ agrees, ✗ wrong or missing answer, ? no answer at
all), or a compact ``7/9`` when there are many servers. A row is green only
when every authoritative server and every resolver agrees.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import humanize
from rich.text import Text

from cockpit.dns.model import Answer, AnswerState, DnsReport, Server, ServerKind, SiteDns
from cockpit.severity import Severity
from widgets import palette
from widgets.host_text import host_text
from widgets.keyed_table import TableRow
from widgets.severity_style import SEVERITY

COLUMNS: tuple[tuple[str, str], ...] = (
    ("site", "Site"),
    ("expected", "Expected"),
    ("auth", "Auth"),
    ("resolvers", "Resolvers"),
    ("prop", "Prop"),
    ("done", "Done by"),
    ("problem", "Worst"),
)
COMPACT_OVER = 6  # servers of one kind beyond which a cell shows "7/9"
_NO_ANSWER = frozenset({AnswerState.TIMEOUT, AnswerState.ERROR})


def server_symbol(answers: Sequence[Answer]) -> Text:
    if answers and all(a.matches for a in answers):
        return Text("✓", style=palette.style("ok"), end="")
    if answers and all(a.state in _NO_ANSWER for a in answers):
        return Text("?", style=palette.style("unknown"), end="")
    return Text("✗", style=palette.style("critical"), end="")


def servers_cell(site: SiteDns, servers: Sequence[Server]) -> Text:
    if not servers:
        return Text("—", style=palette.style("muted"), end="")
    by_server = {s.name: [a for a in site.answers if a.server.name == s.name] for s in servers}
    if len(servers) > COMPACT_OVER:
        agree = sum(1 for xs in by_server.values() if xs and all(a.matches for a in xs))
        style = palette.style("ok" if agree == len(servers) else ("critical" if agree == 0 else "warning"))
        return Text(f"{agree}/{len(servers)}", style=style, end="")
    out = Text(end="")
    for s in servers:
        out.append_text(server_symbol(by_server[s.name]))
    return out


_SHORT = ((" seconds", " s"), (" second", " s"), (" minutes", " min"), (" minute", " min"), (" hours", " h"),
          (" hour", " h"), ("an h", "1 h"), ("a min", "1 min"), ("a s", "1 s"))


def in_words(delta: timedelta, compact: bool) -> str:
    words = humanize.naturaldelta(delta)
    if compact:
        for long, short in _SHORT:
            words = words.replace(long, short)
    return f"in {words}"


def done_text(site: SiteDns, now: datetime, compact: bool = True) -> Text:
    """``in 4 min · 19:10:00`` (``in 4 minutes (19:10:00)`` not compact); ``waiting for ns3``; ``wrong in
    zone`` (the newest zone itself answers otherwise: no time will fix it); ``done``; ``—``."""
    if site.wrong_in_zone:
        words = "wrong in zone" if compact else (f"never by itself: the newest zone (on "
                                                 f"{', '.join(site.wrong_in_zone)}) answers otherwise")
        return Text(words, style=palette.style("critical"), end="")
    if site.waiting_for:
        return Text(f"waiting for {', '.join(site.waiting_for)}", style=palette.style("warning"), end="")
    if site.done_by is None:
        return Text("—", style=palette.style("muted"), end="")
    when = site.done_by.strftime("%H:%M:%S")
    if site.done_by <= now:
        return Text(f"done ({when})", style=palette.style("ok") if site.severity is Severity.OK else "", end="")
    words = in_words(site.done_by - now, compact)
    return Text(f"{words} · {when}" if compact else f"{words} ({when})", end="")


def problem_text(site: SiteDns) -> Text:
    if site.problem:
        return host_text(site.problem, style=palette.style("unknown"), limit=120)
    a = site.worst
    if a is None:
        return Text("", end="")
    style = palette.style("critical") if a.state is not AnswerState.MISMATCH else palette.style("warning")
    what = {AnswerState.MISMATCH: f"{', '.join(a.addresses)} (wrong)", AnswerState.TIMEOUT: "timeout",
            AnswerState.NXDOMAIN: "NXDOMAIN", AnswerState.SERVFAIL: "SERVFAIL"}.get(a.state, a.describe())
    return host_text(f"{a.server.name}: {what}", style=style, limit=120)


def percent_text(site: SiteDns) -> Text:
    p = site.propagated_percent
    if p is None:
        return Text("—", style=palette.style("muted"), end="")
    return Text(f"{p:.0f}%", style=SEVERITY[site.severity].style, end="", justify="right")


def site_row(site: SiteDns, servers: Sequence[Server], now: datetime) -> TableRow:
    look = SEVERITY[site.severity]
    name = Text(f"{look.symbol} ", style=look.style, end="")
    green = f"bold {palette.style('ok')}".strip()
    name.append_text(host_text(site.site, style=green if site.severity is Severity.OK else "bold", limit=60))
    auth = [s for s in servers if s.kind is ServerKind.AUTHORITATIVE]
    res = [s for s in servers if s.kind is ServerKind.RESOLVER]
    expected = host_text(", ".join(site.expected) or "?", limit=80)
    order = (-site.severity.rank, site.propagated_percent if site.propagated_percent is not None else -1.0,
             site.site)
    return TableRow(site.site, site.site, order,
                    (name, expected, servers_cell(site, auth), servers_cell(site, res), percent_text(site),
                     done_text(site, now), problem_text(site)))


def dns_rows(report: DnsReport | None, now: datetime) -> list[TableRow]:
    if report is None:
        return []
    return [site_row(s, report.servers, now) for s in report.sites]


def summary_text(report: DnsReport | None, now: datetime) -> Text:
    """``example.test: 3 propagated · 1 partial · 1 failing │ ns1 ns2 ns3 │ res1``."""
    if report is None:
        return Text("DNS: waiting for the first sweep", style=palette.style("muted"), end="")
    if report.problems and not report.sites:
        return host_text("DNS: " + "; ".join(report.problems), style=palette.style("unknown"), limit=200)
    full = sum(1 for s in report.sites if s.severity is Severity.OK)
    failing = sum(1 for s in report.sites if s.severity in (Severity.CRITICAL, Severity.UNKNOWN))
    partial = len(report.sites) - full - failing
    out = Text(end="")
    out.append(f"{report.zone}: ")
    out.append(f"{full} propagated", style=palette.style("ok"))
    out.append(" · ")
    out.append(f"{partial} partial", style=palette.style("warning") if partial else "")
    out.append(" · ")
    out.append(f"{failing} failing", style=palette.style("critical") if failing else "")
    auth = " ".join(s.name for s in report.servers if s.kind is ServerKind.AUTHORITATIVE)
    res = " ".join(s.name for s in report.servers if s.kind is ServerKind.RESOLVER)
    out.append(f" │ auth {auth or '—'} │ resolvers {res or '—'}", style=palette.style("muted"))
    lag = [s.server.name for s in report.soa if s.lagging]
    if lag:
        out.append(f" │ lagging: {', '.join(lag)}", style=palette.style("warning"))
    if report.problems:
        out.append(" │ " + "; ".join(report.problems), style=palette.style("unknown"))
    out.append(f" │ {humanize.naturaltime(report.swept_at, when=now)}", style=palette.style("muted"))
    return out
