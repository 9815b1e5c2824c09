"""Which host each site is on NOW, persisted in the engine's state file.

The inventory says where a site normally lives (``[[sites]] host``). After a
failover the site is on its standby until someone moves it back; that fact
must survive a restart of the cockpit (and be seen by a second cockpit), so it
is kept in the state file under ``site_hosts``::

    {"site_hosts": {"acme": {"host": "web2", "previous": "web1", "at": "2026-11-25T19:02:11Z"}}}

The failover action calls :func:`record_move`; the DNS pane (the site's
expected address) and everything else call :func:`current_host`.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from cockpit import clock
from cockpit.engine.statefile import StateFile
from cockpit.inventory.model import Inventory, Site

KEY = "site_hosts"
STATE_FILE_NAME = "state.json"


def state_file(inventory: Inventory) -> StateFile:
    """The engine's state file for this inventory (the same one the action engine uses)."""
    from cockpit.paths import state_dir

    return StateFile(Path(state_dir(inventory)) / STATE_FILE_NAME)


def current_host(state: dict[str, Any], site: Site, inventory: Inventory) -> str:
    """The host ``site`` is on now: the recorded move, if it names a host of the inventory."""
    moves = state.get(KEY)
    rec = moves.get(site.name) if isinstance(moves, dict) else None
    host = rec.get("host") if isinstance(rec, dict) else None
    if isinstance(host, str) and any(h.name == host for h in inventory.hosts):
        return host
    return site.host


def site_hosts(state: dict[str, Any], inventory: Inventory) -> dict[str, str]:
    """Every site -> the host it is on now (one state read for a whole sweep)."""
    return {s.name: current_host(state, s, inventory) for s in inventory.sites}


def record_move(sf: StateFile, site: str, host: str, *, previous: str, at: datetime | None = None) -> None:
    """Persist that ``site`` now runs on ``host`` (it was on ``previous``)."""
    when = clock.iso(at or clock.now())

    def change(state: dict[str, Any]) -> None:
        moves = state.get(KEY)
        if not isinstance(moves, dict):
            moves = state[KEY] = {}
        moves[site] = {"host": host, "previous": previous, "at": when}

    sf.update(change)


def forget_move(sf: StateFile, site: str) -> None:
    """The site is back where the inventory says it lives."""
    sf.update(lambda state: state.get(KEY, {}).pop(site, None) if isinstance(state.get(KEY), dict) else None)
