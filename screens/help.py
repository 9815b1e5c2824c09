"""Help (``?``): every key as it is bound now (after the inventory's remaps),
and the outage runbook."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from cockpit import keymap
from screens.runbook import RUNBOOK
from widgets.bindings import AppChecksActions, shown
from widgets.footer import Footer


class HelpScreen(AppChecksActions, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, keys: Mapping[str, str], *, read_only: bool) -> None:
        super().__init__()
        self._keys, self._read_only = keys, read_only

    def compose(self) -> ComposeResult:
        yield Static("Help: keys and the outage runbook", classes="screen-title")
        with VerticalScroll(id="help-body"):
            yield Static(self._keys_table(), id="help-keys")
            yield Static(self._runbook(), id="help-runbook")
        yield Footer()

    def _keys_table(self) -> Group:
        table = Table(box=None, show_header=True, header_style="bold", pad_edge=False, expand=False)
        table.add_column("Key", no_wrap=True)
        table.add_column("Does")
        table.add_column("Id", style="dim", no_wrap=True)
        for kd in keymap.DEFAULT_KEYS:
            if not shown(kd, read_only=self._read_only):
                continue
            keys = " / ".join(self.app.get_key_display(Binding(k, "")) for k in self._keys[kd.id].split(","))
            does = Text(kd.description, end="")
            table.add_row(Text(keys, style="bold", end=""), does, Text(kd.id, end=""))
        table.add_row(Text("escape", style="bold", end=""), Text("Back (from help and details)", end=""), Text(""))
        title = Text("Keys  (remap them by id in the inventory's [keys] table)", style="bold")
        if self._read_only:
            title.append("   READ-ONLY: no action can run", style="bold red")
        return Group(title, table)

    def _runbook(self) -> Text:
        lines: list[Text] = [Text("\nOutage runbook", style="bold", end="")]
        for n, step in enumerate(RUNBOOK, 1):
            lines.append(Text.assemble((f"{n}. {step.what}", "bold"), ("  — " + step.status, "dim"), end=""))
            lines.append(Text(f"   {step.why}", end=""))
        return Text("\n", end="").join(lines)
