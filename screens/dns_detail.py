"""One site's DNS details (Enter on a DNS row): every server's answer, TTL,
rcode and query time, plus the SOA serials. Updated by each DNS sweep."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from cockpit import clock
from cockpit.dns.model import DnsReport
from widgets.bindings import AppChecksActions
from widgets.dns_site_report import DnsSiteReport
from widgets.footer import Footer


class DnsDetailScreen(AppChecksActions, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, site: str, report: DnsReport | None) -> None:
        super().__init__()
        self.site = site  # captured when opened: a re-sorted table cannot change it
        self._report = report

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Site {self.site}: DNS", end=""), classes="screen-title", markup=False)
        with VerticalScroll(id="dns-detail-body"):
            yield DnsSiteReport(id="dns-site-report", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.show_report(self._report)

    def show_report(self, report: DnsReport | None) -> None:
        self._report = report
        site = next((s for s in report.sites if s.site == self.site), None) if report is not None else None
        self.query_one(DnsSiteReport).show(site, report, clock.now())
