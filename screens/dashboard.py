"""The main screen: fleet header and the four panes.

Small terminals (80×24) show one pane at a time with a pane bar (keys 1-4,
tab); large ones (from 150×40) show all four in a 2×2 grid. Panes that are
not shown do no update work (see :class:`widgets.pane.Pane`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.geometry import Size
from textual.message import Message
from textual.screen import Screen

from cockpit.dns.model import DnsReport
from cockpit.tables.model import SiteState
from cockpit.transfers.model import ImportStatus
from screens.messages import DisksSwept
from widgets.bindings import AppChecksActions, bind
from widgets.disk_pane import DiskPane
from widgets.dns_pane import DnsPane
from widgets.fleet_header import FleetHeader
from widgets.footer import Footer
from widgets.pane import Pane
from widgets.pane_bar import PaneBar
from widgets.sites_pane import SitesPane
from widgets.transfers_pane import TransfersPane

GRID_MIN = Size(150, 40)
PANE_KEYS = (("disks", "pane_disks"), ("sites", "pane_sites"), ("transfers", "pane_transfers"), ("dns", "pane_dns"))
_PANES_GROUP = Binding.Group("Panes", compact=True)


def fits_grid(size: Size) -> bool:
    return size.width >= GRID_MIN.width and size.height >= GRID_MIN.height


class DashboardScreen(AppChecksActions, Screen[None]):
    class Ready(Message):
        """Composed and mounted: it can take engine state now."""

    BINDINGS: ClassVar[list[BindingType]] = [
        bind("next_pane", "next_pane", show=False),
        *(bind(binding_id, f"show_pane('{pane_id}')", group=_PANES_GROUP) for pane_id, binding_id in PANE_KEYS),
    ]

    def __init__(self, keys: Mapping[str, str], *, read_only: bool) -> None:
        super().__init__()
        self._keys, self._read_only = keys, read_only
        self._grid = False
        self.active = "disks"

    def compose(self) -> ComposeResult:
        yield FleetHeader(read_only=self._read_only, read_only_reason="no actions")
        yield PaneBar(id="pane-bar")
        with Container(id="panes"):
            yield DiskPane()
            yield SitesPane()
            yield TransfersPane()
            yield DnsPane()
        yield Footer()

    @property
    def panes(self) -> list[Pane]:
        return list(self.query_one("#panes").query_children(Pane))

    @property
    def disk_pane(self) -> DiskPane:
        return self.query_one(DiskPane)

    def on_mount(self) -> None:
        self._grid = fits_grid(self.size)
        self._apply_layout()
        self.post_message(self.Ready())

    def on_resize(self, event: events.Resize) -> None:
        if fits_grid(event.size) != self._grid:
            self._grid = not self._grid
            self._apply_layout()

    def _apply_layout(self) -> None:
        self.query_one("#panes").set_class(self._grid, "-grid")
        bar = self.query_one(PaneBar)
        bar.display = not self._grid
        for pane in self.panes:
            pane.set_active(pane.pane_id == self.active)
            pane.set_shown(self._grid or pane.pane_id == self.active)
        self._refresh_bar()
        self.query_one(f"#{self.active}", Pane).focus_content()

    def _refresh_bar(self) -> None:
        bar = self.query_one(PaneBar)
        if bar.display:
            keys = [self.app.get_key_display(Binding(self._keys[bid].split(",")[0], "")) for _, bid in PANE_KEYS]
            bar.show(self.panes, self.active, keys)

    def action_show_pane(self, pane_id: str) -> None:
        self.active = pane_id
        self._apply_layout()

    def action_next_pane(self) -> None:
        ids = [p for p, _ in PANE_KEYS]
        self.action_show_pane(ids[(ids.index(self.active) + 1) % len(ids)])

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        pane = next((n for n in event.widget.ancestors_with_self if isinstance(n, Pane)), None)
        if pane is not None and pane.pane_id != self.active:
            self.active = pane.pane_id
            for p in self.panes:
                p.set_active(p is pane)
            self._refresh_bar()

    def show_disks(self, message: DisksSwept) -> None:
        self.query_one(FleetHeader).show_summary(message.summary, message.swept_at, message.refresh)
        self.disk_pane.show_hosts(message.hosts)
        self._refresh_bar()

    def show_sites(self, sites: Mapping[str, SiteState], progress: tuple[int, int], stale_after: float) -> None:
        self.query_one(SitesPane).show_sites(sites, progress, stale_after)
        self._refresh_bar()

    def show_dns(self, report: DnsReport | None) -> None:
        self.query_one(DnsPane).show_report(report)
        self._refresh_bar()

    def show_transfers(self, statuses: Sequence[ImportStatus], polled_at: datetime | None) -> None:
        self.query_one(TransfersPane).show_imports(statuses, polled_at)
        self._refresh_bar()

    def show_sweeping(self, sweeping: bool) -> None:
        self.query_one(FleetHeader).show_sweeping(sweeping)

    def target_selection(self) -> dict[str, str]:
        """What the recovery-action keys act on: the cursor of the active pane."""
        return self.query_one(f"#{self.active}", Pane).selection()
