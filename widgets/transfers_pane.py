"""The /storage imports pane: one row per import (failed and stalled first),
a summary line with totals and the overall ETA, and the selected import's
details (why it failed, rsync's last message, the differences found)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.message import Message
from textual.timer import Timer
from textual.widgets import DataTable, Static

from cockpit import clock
from cockpit.severity import Severity, worst
from cockpit.transfers.model import ImportStatus, TransferState
from widgets import quiet_update
from widgets.bindings import AppChecksActions, bind
from widgets.keyed_table import KeyedTable
from widgets.pane import Pane
from widgets.severity_style import SEVERITY
from widgets.transfer_rows import COLUMNS, detail_text, summary_text, transfer_rows

RENDER_EVERY = 0.5  # seconds: the most often the table is redrawn


class TransfersPane(AppChecksActions, Pane):
    """Keys: ``import_verify`` (v) here; start/resume/cancel are recovery actions (cockpit.actions)."""

    BINDINGS: ClassVar[list[BindingType]] = [bind("import_verify", "verify_import", footer="Verify")]

    class VerifyRequested(Message):
        """Verify the selected import now (the engine's gate decides whether it may run)."""

        def __init__(self, site: str, destination_host: str) -> None:
            super().__init__()
            self.site = site
            self.destination_host = destination_host

    class ImportChosen(Message):
        """The user asked for one import's details (Enter on its row)."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self) -> None:
        super().__init__("transfers", "Imports", "/storage imports")
        self._statuses: dict[str, ImportStatus] = {}
        self._polled_at: datetime | None = None
        self._shown_once = False
        self._rendered_at = -RENDER_EVERY
        self._render_timer: Timer | None = None
        self._shape: list[tuple[str, TransferState, str | None]] | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("reading imports…", style="dim"), id="transfers-summary", classes="pane-summary",
                     markup=False)
        yield KeyedTable(COLUMNS, id="transfers-table")
        yield Static("", id="transfers-detail", markup=False)

    @property
    def table(self) -> KeyedTable:
        return self.query_one("#transfers-table", KeyedTable)

    @property
    def statuses(self) -> list[ImportStatus]:
        return list(self._statuses.values())

    def show_imports(self, statuses: Sequence[ImportStatus], polled_at: datetime | None) -> None:
        """Store the newest state. A change of state (an import failed, a new one) is
        drawn at once; mere progress at most every RENDER_EVERY seconds (it can
        arrive faster than anyone reads it: only the newest is drawn)."""
        self._statuses = {s.key: s for s in statuses}
        self._polled_at = polled_at
        self._shown_once = True
        shape = [(s.key, s.state, s.error) for s in statuses]
        if shape != self._shape:
            self._shape = shape
            if self._render_timer is not None:
                self._render_timer.stop()
                self._render_timer = None
            self.state_changed()
            return
        if self._render_timer is not None:
            return  # a render is due: it will draw this state
        wait = RENDER_EVERY - (time.monotonic() - self._rendered_at)
        if wait > 0 and self.is_mounted:
            self._render_timer = self.set_timer(wait, self._render_due, name="transfers render")
            return
        self.state_changed()

    def _render_due(self) -> None:
        self._render_timer = None
        self.state_changed()

    def render_state(self) -> None:
        self._rendered_at = time.monotonic()
        quiet_update.show(self.query_one("#transfers-summary", Static),
            summary_text(self.statuses, self._polled_at, clock.now()) if self._shown_once
            else Text("reading imports…", style="dim"))
        self.table.sync(transfer_rows(self._statuses.values()))
        self._render_detail()

    def _render_detail(self) -> None:
        quiet_update.show(self.query_one("#transfers-detail", Static), detail_text(self.selected()))

    def selected(self) -> ImportStatus | None:
        key = self.table.cursor_key()
        return self._statuses.get(key) if key is not None else None

    def selected_site(self) -> str | None:
        """The site of the import under the cursor (the target of import actions)."""
        s = self.selected()
        return s.site if s is not None else None

    def selection(self) -> dict[str, str]:
        """The site of the import under the cursor: import-start/resume/cancel, failover-site, recheck ...
        act on it. No host: the row's hosts are the copy's source and destination, not the site's host."""
        site = self.selected_site()
        return {"site": site} if site else {}

    def headline(self) -> Text:
        if not self._shown_once:
            return SEVERITY[Severity.UNKNOWN].short("…")
        if not self._statuses:  # no site has a storage directory: nothing to watch
            return Text("– n/a", style="dim", end="")
        imports = [s for s in self._statuses.values() if s.state is not TransferState.NOT_STARTED]
        if not imports:
            return Text("– none", style="dim", end="")
        bad = [s for s in imports if s.severity is not Severity.OK]
        if bad:
            return SEVERITY[worst(s.severity for s in bad)].short(str(len(bad)))
        moving = [s for s in imports if s.active]
        return SEVERITY[Severity.OK].short(f"{len(moving)} running" if moving else "ok")

    def focus_content(self) -> None:
        self.table.focus()

    def action_verify_import(self) -> None:
        s = self.selected()
        if s is not None:
            self.post_message(self.VerifyRequested(s.site, s.destination_host))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._render_detail()

    def on_keyed_table_detail_requested(self, event: KeyedTable.DetailRequested) -> None:
        event.stop()
        self.post_message(self.ImportChosen(event.group))
