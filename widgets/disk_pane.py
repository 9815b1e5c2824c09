"""The disk/mount health pane: one row per host and mount, worst first."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.app import ComposeResult
from textual.message import Message

from cockpit.engine.hoststate import HostState
from cockpit.severity import Severity, worst
from widgets.disk_rows import COLUMNS, DiskRows, looks_same
from widgets.keyed_table import KeyedTable
from widgets.pane import Pane
from widgets.severity_style import SEVERITY


class DiskPane(Pane):
    class HostChosen(Message):
        """The user asked for one host's details (Enter on its row)."""

        def __init__(self, host: str) -> None:
            super().__init__()
            self.host = host

    def __init__(self) -> None:
        super().__init__("disks", "Disks", "Disks & mounts")
        self._hosts: Mapping[str, HostState] = {}
        self._rows = DiskRows()  # rows per host, built anew only for hosts that changed

    def compose(self) -> ComposeResult:
        yield KeyedTable(COLUMNS, id="disk-table")

    @property
    def table(self) -> KeyedTable:
        return self.query_one("#disk-table", KeyedTable)

    def show_hosts(self, hosts: Mapping[str, HostState]) -> None:
        unchanged = hosts.keys() == self._hosts.keys() and all(looks_same(h, self._hosts[n]) for n, h in hosts.items())
        self._hosts = hosts
        if not unchanged:  # a sweep where no host changed (the engine keeps unchanged reports) costs no render
            self.state_changed()

    def render_state(self) -> None:
        self.table.sync(self._rows.rows(self._hosts.values()))

    def selected_host(self) -> str | None:
        return self.table.cursor_group()

    def selection(self) -> dict[str, str]:
        host = self.selected_host()
        return {"host": host} if host else {}

    def headline(self) -> Text:
        bad = [h for h in self._hosts.values() if h.severity in (Severity.CRITICAL, Severity.WARNING)]
        sev = worst((h.severity for h in self._hosts.values()), default=Severity.UNKNOWN)
        return SEVERITY[sev].short(str(len(bad)) if bad else SEVERITY[sev].label.lower())

    def focus_content(self) -> None:
        self.table.focus()

    def on_keyed_table_detail_requested(self, event: KeyedTable.DetailRequested) -> None:
        event.stop()
        self.post_message(self.HostChosen(event.group))
