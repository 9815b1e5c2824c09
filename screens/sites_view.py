"""The App's link to the table checker (``engine.tables``): a self-rescheduling
sweep (a full sweep at start, then every ``mysql.recheck_interval``, default
5 min), re-checks of one site on demand, and the checker's progress delivered
to the sites pane and open site detail screens at most every half second
(the checker reports every table; the screen needs a few frames, not 40,000).
Between sweeps, every ``checker.retry_interval`` (30 s), the sites whose server
could not be reached or whose host lost SSH are tried again: a MySQL back up,
or a box gone, shows within half a minute, not up to 5 minutes later; and
at once when a disk sweep finds their host answering SSH again.
The App keeps a few lines calling this."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.message import Message

from cockpit.engine.hoststate import HostState, Reach
from cockpit.tables.model import SiteState
from screens.poller import Poller
from screens.site_detail import SiteDetailScreen

if TYPE_CHECKING:
    from cockpit.engine.engine import Engine

FLUSH_EVERY = 0.5


class SitesChecked(Message):
    """A full table sweep finished."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SitesChecked)


class SitesFeed:
    def __init__(self, app: App[Any], engine: Engine) -> None:
        self.app, self.engine = app, engine
        self.checker = engine.tables
        self.stale_after = self.checker.recheck_interval * 2 + 60
        self.poller = Poller(app, "sites", self.checker.recheck_interval, self._poll)
        retry = self.checker.retry_interval
        self.retry = Poller(app, "sites retry", retry, self._retry) if retry is not None else None
        self._dirty = False
        self._reach: dict[str, Reach] = {}  # each host's reach at the last disk sweep

    def attach(self, poll: bool) -> None:
        """The dashboard is ready: show what is known, then keep it fresh (``poll``)."""
        self.checker.add_listener(self._changed)
        self.app.set_interval(FLUSH_EVERY, self._flush, name="sites progress")
        self.deliver()
        if poll and self.checker.sites:
            self.poller.start()
            if self.retry is not None:
                self.retry.start()

    def stop(self) -> None:
        self.checker.remove_listener(self._changed)
        self.poller.stop()
        if self.retry is not None:
            self.retry.stop()

    def recheck(self, site: str, extended: bool = False) -> None:
        if site not in self.checker.sites:
            return
        if self.checker.sites[site].checking:
            self.app.notify(f"{site} is being checked already", timeout=3, markup=False)
            return
        what = "EXTENDED check" if extended else "re-check"
        self.app.run_worker(self.checker.check_site(site, extended=extended), group=f"sites:{site}",
                            description=f"the {what} of {site}", exit_on_error=False)

    def open_detail(self, site: str) -> None:
        state = self.checker.sites.get(site)
        if state is not None:
            self.app.push_screen(SiteDetailScreen(state, self.stale_after))

    def deliver(self) -> None:
        from screens.dashboard import DashboardScreen

        self._dirty = False
        for screen in self.app.screen_stack:
            if isinstance(screen, DashboardScreen):
                screen.show_sites(self.checker.sites, self.checker.progress(), self.stale_after)
            elif isinstance(screen, SiteDetailScreen) and screen.site in self.checker.sites:
                screen.show_site(self.checker.sites[screen.site])

    def hosts_swept(self, hosts: Mapping[str, HostState]) -> None:
        """A host that answers SSH again: its sites whose check failed meanwhile are tried now, not at the
        next retry (up to 30 s later: they said "host web1 is down" beside a host back up)."""
        back = {n for n, h in hosts.items() if h.reach is Reach.UP and self._reach.get(n, Reach.UP) is not Reach.UP}
        self._reach = {n: h.reach for n, h in hosts.items()}
        if back and self.retry is not None and any(
                self.checker.sites[n].host in back for n in self.checker.unreachable()):
            self.retry.refresh_now()

    def _changed(self, site: SiteState) -> None:
        self._dirty = True  # called for every table checked: only note it

    def _flush(self) -> None:
        # not while the app shuts down: its screens are being taken apart (a fault drill hit NoMatches here)
        if self._dirty and self.app.is_running:
            self.deliver()

    async def _poll(self) -> SitesChecked:
        await self.checker.sweep()
        return SitesChecked()

    async def _retry(self) -> SitesChecked:
        await self.checker.retry_unreachable()
        return SitesChecked()
