"""The DNS propagation pane: one row per site, worst first, and a summary line."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Static

from cockpit import clock
from cockpit.dns.model import DnsReport
from cockpit.severity import Severity, worst
from widgets import quiet_update
from widgets.dns_rows import COLUMNS, dns_rows, summary_text
from widgets.keyed_table import KeyedTable
from widgets.pane import Pane
from widgets.severity_style import SEVERITY


class DnsPane(Pane):
    class SiteChosen(Message):
        """The user asked for one site's DNS details (Enter on its row)."""

        def __init__(self, site: str) -> None:
            super().__init__()
            self.site = site

    def __init__(self) -> None:
        super().__init__("dns", "DNS", "DNS propagation")
        self._report: DnsReport | None = None

    def compose(self) -> ComposeResult:
        yield Static(summary_text(None, clock.now()), id="dns-summary", classes="pane-summary", markup=False)
        yield KeyedTable(COLUMNS, id="dns-table")

    @property
    def table(self) -> KeyedTable:
        return self.query_one("#dns-table", KeyedTable)

    @property
    def report(self) -> DnsReport | None:
        return self._report

    def show_report(self, report: DnsReport | None) -> None:
        self._report = report
        self.state_changed()

    def render_state(self) -> None:
        now = clock.now()
        # a DNS sweep every 10 s: a layout pass of the whole screen only when the summary's shape changes
        quiet_update.show(self.query_one("#dns-summary", Static), summary_text(self._report, now))
        self.table.sync(dns_rows(self._report, now))

    def selected_site(self) -> str | None:
        return self.table.cursor_group()

    def selection(self) -> dict[str, str]:
        """The site under the cursor and the host it is on now (as the DNS sweep placed it): site actions
        (failover-site, recheck, imports ...) start from a DNS row as from a row of the sites pane."""
        name = self.selected_site()
        site = next((s for s in self._report.sites if s.site == name), None) if self._report and name else None
        return {} if site is None else {"site": site.site, "host": site.host}

    def headline(self) -> Text:
        if self._report is None:
            return SEVERITY[Severity.UNKNOWN].short("…")
        sites = self._report.sites
        if self._report.problems and not sites and not self._report.servers:
            return Text("– n/a", style="dim", end="")
        bad = [s for s in sites if s.severity is not Severity.OK]
        sev = worst((s.severity for s in sites), default=Severity.UNKNOWN if self._report.problems else Severity.OK)
        return SEVERITY[sev].short(str(len(bad)) if bad else SEVERITY[sev].label.lower())

    def focus_content(self) -> None:
        self.table.focus()

    def on_keyed_table_detail_requested(self, event: KeyedTable.DetailRequested) -> None:
        event.stop()
        self.post_message(self.SiteChosen(event.group))
