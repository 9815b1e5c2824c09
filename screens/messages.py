"""Messages the App's pollers post when engine state changes."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from textual.message import Message

from cockpit.engine.hoststate import HostState
from cockpit.engine.summary import FleetSummary


class DisksSwept(Message):
    """A disk sweep finished: the fleet's host states as of ``swept_at``."""

    def __init__(self, hosts: Mapping[str, HostState], summary: FleetSummary, swept_at: datetime | None,
                 refresh: float | None = None) -> None:
        super().__init__()
        self.hosts = hosts
        self.summary = summary
        self.swept_at = swept_at
        self.refresh = refresh  # seconds between sweeps (None: no sweeps are scheduled)

    def can_replace(self, message: Message) -> bool:
        # Several queued sweeps (a slow UI): only the newest state matters.
        return isinstance(message, DisksSwept)


class PollRunning(Message):
    """A poll started (``running``) or finished, successfully or not."""

    def __init__(self, poll: str, running: bool) -> None:
        super().__init__()
        self.poll = poll
        self.running = running
