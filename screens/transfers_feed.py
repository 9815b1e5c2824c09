"""The App's link to the transfers engine: a self-rescheduling poll whose
result (every import at once) is one coalescing message, so a hundred imports
reporting progress never flood the UI."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.message import Message

from cockpit.transfers.model import ImportStatus
from screens.dashboard import DashboardScreen
from screens.import_detail import ImportDetailScreen
from screens.poller import Poller

if TYPE_CHECKING:
    from cockpit.transfers.engine import Transfers

INTERVAL = 2.0  # seconds between reads of every destination's import state


class TransfersPolled(Message):
    """Every import's state as of ``polled_at`` (only the newest queued one is delivered)."""

    def __init__(self, statuses: Sequence[ImportStatus], polled_at: datetime | None) -> None:
        super().__init__()
        self.statuses = statuses
        self.polled_at = polled_at

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, TransfersPolled)


class TransfersFeed:
    def __init__(self, app: App[Any], transfers: Transfers) -> None:
        self.app, self.transfers = app, transfers
        interval = min(INTERVAL, transfers.inventory.defaults.refresh)
        self.poller = Poller(app, "transfers", interval, self._poll)
        self._shown: Sequence[ImportStatus] = ()  # as last delivered

    def start(self) -> None:
        if self.transfers.configured:
            self.poller.start()

    def stop(self) -> None:
        self.poller.stop()

    def attach(self, poll: bool) -> None:
        """The dashboard is ready: show what is known, then keep it fresh (``poll``). Before
        the first read of the destinations nothing is known: the pane says it is reading,
        rather than call every site 'not started' (a slow destination takes seconds)."""
        if self.transfers.polled_at is not None or not self.transfers.configured:
            self.deliver(self.current())
        if poll:
            self.start()

    def deliver(self, message: TransfersPolled) -> None:
        self._shown = message.statuses
        screen = self.app.screen_stack[0] if self.app.screen_stack else None
        if isinstance(screen, DashboardScreen):
            screen.show_transfers(message.statuses, message.polled_at)
        details = [s for s in self.app.screen_stack if isinstance(s, ImportDetailScreen)]
        if details:
            by_key = {s.key: s for s in message.statuses}
            for detail in details:
                detail.show(by_key.get(detail.key))

    def open_detail(self, key: str) -> None:
        """Enter on an import row: that import in full, kept fresh by each poll."""
        status = next((s for s in self._shown if s.key == key), None)
        self.app.push_screen(ImportDetailScreen(key, status))

    def verify(self, site: str, destination_host: str) -> None:
        """Verify an import now (a detached dry run on its host); the answer is a notification."""
        self.app.run_worker(self._verify(site, destination_host), name=f"verify {site}", group="transfers-verify",
                            description=f"verifying the import of {site}", exit_on_error=False)

    async def _verify(self, site: str, destination_host: str) -> None:
        from cockpit.engine.gate import ReadOnlyRefused
        from cockpit.transfers.engine import TransferError

        try:
            result = await self.transfers.verify(site, destination_host)
        except (TransferError, ReadOnlyRefused) as e:
            self.app.notify(str(e), title="verify", severity="error", timeout=10, markup=False)
            return
        self.app.notify(result.message, title="verify", timeout=6, markup=False)
        self.poller.refresh_now()

    def current(self) -> TransfersPolled:
        return TransfersPolled(self.transfers.rows(), self.transfers.polled_at)

    async def _poll(self) -> TransfersPolled:
        await self.transfers.poll()
        return self.current()
