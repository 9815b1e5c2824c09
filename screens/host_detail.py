"""One host's details (Enter on a disk row): address, state, host key, every
mount, RAID array and the kernel log. Updated live by each sweep."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Static

from cockpit import clock
from cockpit.engine.hoststate import HostState
from widgets.bindings import AppChecksActions
from widgets.host_report import HostReport


class HostDetailScreen(AppChecksActions, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, state: HostState) -> None:
        super().__init__()
        self.host = state.name  # captured when opened: a re-sorted table cannot change it
        self._state = state

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Host {self.host}: details", end=""), classes="screen-title")
        with VerticalScroll(id="host-detail-body"):
            yield HostReport(id="host-report")
        yield Footer()

    def on_mount(self) -> None:
        self.show_state(self._state)
        self.set_interval(1.0, self._tick)

    def show_state(self, state: HostState) -> None:
        self._state = state
        self.query_one(HostReport).show(state, clock.now())

    def target_selection(self) -> dict[str, str]:
        """Recovery-action keys here act on this host (captured when the screen opened)."""
        return {"host": self.host}

    def _tick(self) -> None:  # keep "checked 3 seconds ago" true
        self.show_state(self._state)
