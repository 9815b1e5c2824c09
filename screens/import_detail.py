"""One /storage import in full (Enter on an import row): every difference the
verification found, rsync's last messages, both sides' counts. Updated by each
transfers poll; the keys of the imports pane act on it from here too."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from cockpit.transfers.model import ImportStatus
from widgets.bindings import AppChecksActions
from widgets.footer import Footer
from widgets.transfer_detail import import_detail_text


class ImportDetailScreen(AppChecksActions, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Back")]
    DEFAULT_CSS = "#import-detail-body { padding: 0 1; }"

    def __init__(self, key: str, status: ImportStatus | None) -> None:
        super().__init__()
        self.key = key  # captured when opened: a re-sorted table cannot change it
        self._status = status

    def compose(self) -> ComposeResult:
        site = self._status.site if self._status is not None else self.key
        yield Static(Text(f"Import of {site}: details", end=""), classes="screen-title", markup=False)
        with VerticalScroll(id="import-detail-body"):
            yield Static(id="import-detail-text", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.show(self._status)

    def show(self, status: ImportStatus | None) -> None:
        self._status = status
        self.query_one("#import-detail-text", Static).update(import_detail_text(status))

    def target_selection(self) -> dict[str, str]:
        """Recovery-action keys here (import-start/resume/cancel ...) act on this import's site."""
        return {"site": self._status.site} if self._status is not None else {}
