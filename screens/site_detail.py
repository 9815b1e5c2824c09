"""One site's tables (Enter on the sites pane): engine, rows, size, status and
time of each table's last CHECK, and the full messages of the table under the
cursor. ``r`` re-checks the site, ``x`` runs an EXTENDED check. Updated live."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Static

from cockpit import clock
from cockpit.tables.model import SiteState
from cockpit.tables.verdict import verdict
from widgets.bindings import AppChecksActions, bind
from widgets.footer import Footer
from widgets.keyed_table import KeyedTable
from widgets.site_rows import state_text
from widgets.site_tables import COLUMNS, messages_text, site_header, table_row
from widgets.sites_pane import SitesPane


class SiteDetailScreen(AppChecksActions, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        bind("refresh", "recheck", footer="Re-check"),
        bind("check_extended", "recheck(True)", footer="EXTENDED"),
    ]

    def __init__(self, site: SiteState, stale_after: float | None = None) -> None:
        super().__init__()
        self.site = site.name  # captured when opened
        self._state = site
        self._stale_after = stale_after
        self._version = -1

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Site {self.site}: tables", end=""), classes="screen-title")
        yield Static(id="site-header", markup=False)
        yield KeyedTable(COLUMNS, id="site-tables")
        with VerticalScroll(id="site-messages-box"):
            yield Static(id="site-messages", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.show_site(self._state, force=True)
        self.query_one(KeyedTable).focus()
        self.set_interval(1.0, self._tick)

    def show_site(self, site: SiteState, *, force: bool = False) -> None:
        self._state = site
        if not force and site.version == self._version:
            return
        self._version = site.version
        self._redraw()

    def _redraw(self) -> None:
        now = clock.now()
        s = self._state
        self.query_one("#site-header", Static).update(site_header(s, state_text(verdict(s, now, self._stale_after)),
                                                                  now))
        self.query_one(KeyedTable).sync([table_row(t, now, self._stale_after) for t in s.tables.values()])
        self._show_messages()

    def _show_messages(self) -> None:
        key = self.query_one(KeyedTable).cursor_key()
        t = self._state.tables.get(key) if key is not None else None
        self.query_one("#site-messages", Static).update(messages_text(t, clock.now()))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_messages()

    def on_keyed_table_detail_requested(self, event: KeyedTable.DetailRequested) -> None:
        event.stop()
        self._show_messages()

    def action_recheck(self, extended: bool = False) -> None:
        self.app.post_message(SitesPane.RecheckRequested(self.site, extended))

    def target_selection(self) -> dict[str, str]:
        """Recovery-action keys here act on this site and the table under the cursor (``SITE.TABLE``)."""
        out = {"site": self.site, "host": self._state.host}
        key = self.query_one(KeyedTable).cursor_key()
        if key is not None:
            out["table"] = f"{self.site}.{key}"
        return out

    def _tick(self) -> None:  # keep "checked 3 seconds ago" true
        self._redraw()
