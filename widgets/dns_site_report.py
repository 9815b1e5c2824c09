"""One site's DNS, in full (the detail screen): every server's answer, TTL,
rcode and query time, the SOA serials, and the "done by" reasoning. Pure
text building; every string from a server is escaped."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.widgets import Static

from cockpit.dns.model import Answer, DnsReport, SiteDns
from widgets import palette
from widgets.dns_rows import done_text, server_symbol
from widgets.host_report import when_text
from widgets.host_text import host_text
from widgets.severity_style import severity_text

LABEL = 12


def _pct(p: float | None) -> str:
    return "—" if p is None else f"{p:g}%"


def _field(label: str, value: Text) -> Text:
    return Text(f"{label:<{LABEL}}", style="bold", end="").append_text(value)


def _answer_line(a: Answer, now: datetime) -> Text:
    line = Text(end="").append_text(server_symbol([a]))
    line.append(f" {a.server.name:<8} {a.server.kind.value[:4]:<4} {a.qtype:<4} ")
    line.append(f"{a.state.value:<9}", style="bold")
    line.append(f" {a.rcode or '—':<8} ")
    line.append(f"TTL {a.ttl if a.ttl is not None else (a.negative_ttl if a.negative_ttl is not None else '—'):<5} ")
    line.append_text(host_text(a.describe(), limit=90))
    if a.tcp:
        line.append(" (TCP)", style=palette.style("muted"))
    line.append(f"  at {a.queried_at.strftime('%H:%M:%S')}", style=palette.style("muted"))
    exp = a.expires_at
    if exp is not None:
        line.append(f"  cached until {exp.strftime('%H:%M:%S')}", style=palette.style("warning"))
    return line


def site_lines(site: SiteDns, report: DnsReport, now: datetime) -> list[Text]:
    lines = [
        host_text(site.site, style="bold").append("  ").append_text(host_text(site.name)),
        _field("severity", severity_text(site.severity)),
        _field("host now", host_text(site.host)),
        _field("expected", host_text(", ".join(site.expected) or "unknown")),
        _field("propagated", Text(f"{_pct(site.propagated_percent)} (authoritative "
                                  f"{_pct(site.authoritative_percent)}, resolvers {_pct(site.resolver_percent)})",
                                  end="")),
        _field("done by", done_text(site, now, compact=False)),
    ]
    if site.problem:
        lines.append(_field("problem", host_text(site.problem, style=palette.style("unknown"))))
    if site.change is not None:
        c = site.change
        lines.append(_field("changed", Text(f"{', '.join(c.old_addresses) or '(none)'} -> {', '.join(c.new_addresses)} "
                                            f"by the cockpit, old TTL {c.old_ttl} s, ", end="")
                            .append_text(when_text(c.at, now))))
    lines.append(Text("\nAnswers", style="bold underline", end=""))
    lines += [_answer_line(a, now) for a in sorted(site.answers, key=lambda a: (a.server.kind.value, a.server.name))]
    lines.append(Text("\nSOA serials", style="bold underline", end=""))
    if not report.soa:
        lines.append(Text("no authoritative servers", style=palette.style("muted"), end=""))
    for s in report.soa:
        line = Text(f"{s.server.name:<10} ", end="")
        if s.serial is None:
            line.append_text(host_text(s.error or "no answer", style=palette.style("critical")))
        else:
            line.append(str(s.serial))
            if s.lagging:
                line.append("  LAGGING (behind the newest serial)", style=palette.style("warning"))
        line.append(f"  at {s.queried_at.strftime('%H:%M:%S')}", style=palette.style("muted"))
        lines.append(line)
    return lines


class DnsSiteReport(Static):
    def show(self, site: SiteDns | None, report: DnsReport | None, now: datetime) -> None:
        if site is None or report is None:
            self.update(Text("this site is no longer in the DNS report", style=palette.style("muted")))
            return
        self.update(Text("\n", end="").join(site_lines(site, report, now)))
