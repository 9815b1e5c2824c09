"""Helpers for Pilot tests of the cockpit App."""

from __future__ import annotations

from collections.abc import Mapping

from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget

from cockpit.engine.hoststate import HostState
from cockpit.engine.summary import summarize
from screens.app import CockpitApp
from screens.messages import DisksSwept
from widgets.keyed_table import KeyedTable


async def settle(pilot: Pilot[int]) -> None:
    """Wait until the disk poll is idle (no run in flight or due) and its messages are handled."""
    app = pilot.app
    assert isinstance(app, CockpitApp)
    await pilot.pause()
    for _ in range(50):
        if not app.disk_poller.busy:
            break
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert not app.disk_poller.busy
    await pilot.pause()


def feed(app: CockpitApp, hosts: Mapping[str, HostState], swept_at: object = None) -> None:
    """Show engine state as a finished sweep would (for apps run with poll=False)."""
    from ui_states import CHECKED

    app.post_message(DisksSwept(dict(hosts), summarize(hosts.values()), CHECKED if swept_at is None else swept_at))


def disk_table(app: CockpitApp) -> KeyedTable:
    return app.dashboard.query_one("#disk-table", KeyedTable)


def visible_text(widget: Widget) -> str:
    """What a leaf widget (Static, DataTable...) shows, as plain text lines."""
    w, h = widget.outer_size
    return "\n".join(strip.text for strip in widget.render_lines(Region(0, 0, w, h)))
