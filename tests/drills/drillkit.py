"""The drill harness: ONE real CockpitApp (real engine, real pollers) on the
session lab for the whole drill module, with short refresh intervals, and the
few things every drill asks of it.

* :meth:`Drill.until` polls what a pane shows (bounded, never a timed assertion:
  the bound is a safety net that fails with what the pane showed last);
* :meth:`Drill.keeps_updating` counts the engine states delivered to another
  pane and waits until two more arrived;
* :meth:`Drill.answers_keys` opens help with its key and closes it with escape.
"""

from __future__ import annotations

import asyncio
import shutil
import tomllib
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import DataTable

from cockpit.lab import Lab
from cockpit.lab.inventory_writer import dumps
from screens.app import CockpitApp
from screens.dashboard import DashboardScreen
from screens.help import HelpScreen
from widgets.disk_pane import DiskPane
from widgets.dns_pane import DnsPane
from widgets.sites_pane import SitesPane
from widgets.transfers_pane import TransfersPane

SAFETY = 90.0  # a bound on every wait, not a target: the machine is shared and slow
PANES = {"disks": DiskPane, "sites": SitesPane, "dns": DnsPane, "transfers": TransfersPane}


def drill_inventory(lab: Lab, into: Path) -> Path:
    """The lab's inventory with short intervals and the cockpit's OWN known_hosts
    (a drill accepts host keys: the session lab's file must not change)."""
    data: dict[str, Any] = tomllib.loads(lab.inventory_path.read_text())
    known_hosts = into / "known_hosts"
    shutil.copyfile(lab.known_hosts_path, known_hosts)
    data["defaults"].update(known_hosts=str(known_hosts), connect_timeout=4, command_timeout=4, refresh=1)
    data["mysql"].update(recheck_interval=2, connect_timeout=2, check_timeout=6)
    data["dns"].update(refresh=1, timeout=1)
    data["storage"].update(stall_seconds=2, bwlimit_kbps=1500)
    path = into / "inventory.toml"
    path.write_text(dumps(data, "fault drills: the lab fleet with short intervals"))
    return path


def rows(table: DataTable[Any]) -> list[str]:
    return [" | ".join(getattr(c, "plain", str(c)) for c in table.get_row_at(i)) for i in range(table.row_count)]


class Drill:
    def __init__(self, app: CockpitApp, pilot: Pilot[int], lab: Lab) -> None:
        self.app, self.pilot, self.lab = app, pilot, lab
        self.delivered: Counter[str] = Counter()
        self.notes: list[str] = []  # every notification the app showed (they expire on screen)
        real_notify = app.notify

        def notify(message: str, *args: Any, **kwargs: Any) -> None:
            self.notes.append(str(message))
            real_notify(message, *args, **kwargs)

        app.notify = notify  # type: ignore[method-assign]
        self._count("disks", app, "show_disks")
        self._count("sites", app.sites_feed, "deliver")
        self._count("dns", app.dns_feed, "deliver")
        self._count("transfers", app.transfers_feed, "deliver")

    def _count(self, feed: str, owner: object, method: str) -> None:
        real = getattr(owner, method)

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.delivered[feed] += 1
            return real(*args, **kwargs)

        setattr(owner, method, counted)

    # -- what the panes show ----------------------------------------------------------
    def pane_rows(self, pane: str) -> list[str]:
        widget = self.app.dashboard.query_one(PANES[pane])
        return rows(widget.query_one(DataTable))

    def host_rows(self, host: str) -> list[str]:
        table = self.app.dashboard.query_one(DiskPane).query_one(DataTable)
        out = []
        for key in list(table.rows):
            if str(key.value).startswith(f"{host}\0"):
                out.append(" | ".join(getattr(c, "plain", str(c)) for c in table.get_row(key)))
        return out

    def host_shows(self, host: str, label: str) -> bool:
        return any(label in r for r in self.host_rows(host))

    def host_up(self, host: str) -> bool:
        shown = self.host_rows(host)
        return bool(shown) and not any(w in r for r in shown for w in ("UNREACHABLE", "UNTRUSTED", "ERROR", "PENDING"))

    def site_shows(self, site: str, label: str) -> bool:
        return any(r.startswith(site) and label in r for r in self.pane_rows("sites"))

    def any_row(self, pane: str, text: str) -> bool:
        return any(text in r for r in self.pane_rows(pane))

    # -- waiting -------------------------------------------------------------------------
    async def until(self, cond: Callable[[], bool], what: str, pane: str | None = None,
                    limit: float = SAFETY) -> None:
        loop = asyncio.get_running_loop()
        start = loop.time()
        while not cond():
            if loop.time() > start + limit:
                seen = "\n  ".join(self.pane_rows(pane)) if pane else ""
                said = "\n  ".join(self.notes[-3:])
                raise AssertionError(f"gave up waiting for {what}" + (f"; the {pane} pane shows:\n  {seen}"
                                     if pane else "") + (f"\nlast notifications:\n  {said}" if said else ""))
            await self.pilot.pause(0.2)
        print(f"{loop.time() - start:6.1f} s  {what}")  # shown with -s or on failure: where a drill's time goes

    async def keeps_updating(self, feed: str, more: int = 2) -> None:
        """Another pane gets new engine state while the fault lasts."""
        start = self.delivered[feed]
        await self.until(lambda: self.delivered[feed] >= start + more, f"the {feed} pane to update {more} times")

    async def answers_keys(self) -> None:
        await self.pilot.press(self.app.keys["help"].split(",")[0])
        await self.until(lambda: isinstance(self.app.screen, HelpScreen), "help to open on its key")
        await self.pilot.press("escape")
        await self.until(lambda: isinstance(self.app.screen, DashboardScreen), "escape to close help")

    # -- the lab ----------------------------------------------------------------------------
    async def fault(self, host: str, kind: str, *args: str) -> None:
        await asyncio.to_thread(self.lab.fault, host, kind, *args)  # the app keeps running meanwhile

    async def heal(self, host: str | None = None) -> None:
        await asyncio.to_thread(self.lab.heal, host)
