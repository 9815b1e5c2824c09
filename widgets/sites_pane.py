"""The table corruption pane: one row per site, worst first, a summary line
with a progress indicator while a check runs, and a ``/`` filter.

Rows are keyed by site and rebuilt only for sites whose state changed (the
checker bumps a site's ``version``) or whose "checked ... ago" text moved on,
so 2,000 sites cost little per update; the table itself is updated in place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.message import Message
from textual.widgets import Input, Static

from cockpit import clock
from cockpit.severity import Severity, worst
from cockpit.tables.model import SiteState
from cockpit.tables.verdict import Verdict
from cockpit.tables.verdict_cache import VerdictCache
from widgets import quiet_update
from widgets.bindings import AppChecksActions, bind
from widgets.keyed_table import KeyedTable, TableRow
from widgets.pane import Pane
from widgets.severity_style import SEVERITY
from widgets.site_rows import (
    COLUMNS,
    checked_plain,
    checked_text,
    matches,
    shown_stale,
    site_row,
    summary_text,
)


class SitesPane(AppChecksActions, Pane):
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("refresh", "recheck_site", footer="Re-check site"),
        bind("check_extended", "recheck_site(True)", footer="EXTENDED"),
        bind("filter", "filter", footer="Filter"),
    ]

    class SiteChosen(Message):
        """Enter on a site: its tables."""

        def __init__(self, site: str) -> None:
            super().__init__()
            self.site = site

    class RecheckRequested(Message):
        """``r`` (or ``x`` for EXTENDED) on a site: check it now."""

        def __init__(self, site: str, extended: bool) -> None:
            super().__init__()
            self.site = site
            self.extended = extended

    def __init__(self) -> None:
        super().__init__("sites", "Tables", "Table corruption")
        self._sites: Mapping[str, SiteState] = {}
        self._progress = (0, 0)
        self._stale_after: float | None = None
        self._filter = ""
        self._cache: dict[str, tuple[int, Verdict, str, bool, TableRow]] = {}  # version, verdict, when, stale, row
        self._verdicts = VerdictCache()

    def compose(self) -> ComposeResult:
        yield Static(Text("no sites checked yet", style="dim"), id="sites-summary", classes="pane-summary",
                     markup=False)
        yield Input(placeholder="filter sites, hosts, tables (Esc clears)", id="sites-filter")
        yield KeyedTable(COLUMNS, id="sites-table")

    @property
    def table(self) -> KeyedTable:
        return self.query_one("#sites-table", KeyedTable)

    def show_sites(self, sites: Mapping[str, SiteState], progress: tuple[int, int],
                   stale_after: float | None = None) -> None:
        self._sites, self._progress, self._stale_after = sites, progress, stale_after
        self.state_changed()

    def render_state(self) -> None:
        now = clock.now()
        quiet_update.show(self.query_one("#sites-summary", Static),
                          summary_text(self._sites.values(), now, self._progress, self._stale_after, self._verdicts))
        table = self.table
        watching_top = table.cursor_row == 0  # the worst site: keep watching the top, not the row
        table.sync(self.rows(now))
        if watching_top and table.cursor_row != 0 and table.row_count:
            table.move_cursor(row=0, animate=False)

    def rows(self, now: datetime | None = None) -> list[TableRow]:
        """The rows to show (filtered), reusing the cached row of every unchanged site."""
        at = clock.now() if now is None else now
        out: list[TableRow] = []
        for name, site in self._sites.items():
            if not matches(site, self._filter):
                continue
            v = self._verdicts.get(site, at, self._stale_after)  # a new one when the site changed or grew stale
            when = checked_plain(site, at, False)[0]
            hit = self._cache.get(name)
            if hit is None or hit[0] != site.version or hit[1] is not v:
                hit = (site.version, v, when, shown_stale(site, v), site_row(site, at, self._stale_after, v))
                self._cache[name] = hit
            elif hit[2] != when:  # only time went by ("2 minutes ago"): the other cells stand
                version, _, _, stale, row = hit
                checked = checked_text(site, at, stale)
                hit = (version, v, when, stale, replace(row, cells=(*row.cells[:-1], checked)))
                self._cache[name] = hit
            out.append(hit[4])
        return out

    def selected_site(self) -> str | None:
        return self.table.cursor_group()

    def selection(self) -> dict[str, str]:
        site = self.selected_site()
        return {} if site is None or site not in self._sites else {"site": site, "host": self._sites[site].host}

    def headline(self) -> Text:
        if not self._sites:
            return Text("– none", style="dim", end="")
        now = clock.now()
        verdicts = [self._verdicts.get(s, now, self._stale_after) for s in self._sites.values()]
        bad = [v for v in verdicts if v.severity is not Severity.OK]
        sev = worst((v.severity for v in verdicts), default=Severity.UNKNOWN)
        return SEVERITY[sev].short(str(len(bad)) if bad else SEVERITY[sev].label.lower())

    def focus_content(self) -> None:
        self.table.focus()

    # -- keys ------------------------------------------------------------------------------------
    def action_recheck_site(self, extended: bool = False) -> None:
        site = self.selected_site()
        if site is not None:
            self.post_message(self.RecheckRequested(site, extended))

    def action_filter(self) -> None:
        box = self.query_one("#sites-filter", Input)
        box.add_class("-shown")
        box.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._filter = event.value.strip()
        self.state_changed()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()

    def on_key(self, event: events.Key) -> None:
        box = self.query_one("#sites-filter", Input)
        if event.key == "escape" and box.has_focus:
            event.stop()
            box.value = ""
            box.remove_class("-shown")
            self.table.focus()

    def on_keyed_table_detail_requested(self, event: KeyedTable.DetailRequested) -> None:
        event.stop()
        self.post_message(self.SiteChosen(event.group))

