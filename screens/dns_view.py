"""The App's link to the DNS engine: a self-rescheduling poll whose result
(the whole DNS report) is one coalescing message, handed to the dashboard's
DNS pane and to open DNS detail screens. The App keeps a few lines calling this."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.message import Message

from cockpit.dns.model import DnsReport
from screens.dns_detail import DnsDetailScreen
from screens.poller import Poller

if TYPE_CHECKING:
    from cockpit.engine.engine import Engine


class DnsSwept(Message):
    """A DNS sweep finished (only the newest queued one is delivered)."""

    def __init__(self, report: DnsReport | None) -> None:
        super().__init__()
        self.report = report

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, DnsSwept)


class DnsFeed:
    def __init__(self, app: App[Any], engine: Engine) -> None:
        self.app, self.engine = app, engine
        self.report: DnsReport | None = engine.dns.report  # as last shown
        dns = engine.inventory.dns
        self.poller = Poller(app, "dns", dns.refresh if dns is not None else 60.0, self._poll)

    def attach(self, poll: bool) -> None:
        """The dashboard is ready: show what is known, then keep it fresh (``poll``)."""
        self.deliver(DnsSwept(self.engine.dns.report))
        if poll and self.engine.dns.enabled:
            self.poller.start()

    def refresh_now(self) -> None:
        if self.engine.dns.enabled:
            self.poller.refresh_now()

    def stop(self) -> None:
        self.poller.stop()

    def deliver(self, message: DnsSwept) -> None:
        from screens.dashboard import DashboardScreen

        self.report = message.report
        for screen in self.app.screen_stack:
            if isinstance(screen, DashboardScreen):
                screen.show_dns(message.report)
            elif isinstance(screen, DnsDetailScreen):
                screen.show_report(message.report)

    def open_detail(self, site: str) -> None:
        self.app.push_screen(DnsDetailScreen(site, self.report))

    async def _poll(self) -> DnsSwept:
        return DnsSwept(await self.engine.dns.sweep())
