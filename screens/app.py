"""The cockpit App: owns the Engine and the long-lived pollers.

Pollers post Messages with new engine state; the App hands that state to the
screens. One handler turns any worker failure into a visible notification.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import partial
from pathlib import PurePath
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, SystemCommand
from textual.binding import BindingType
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from cockpit import keymap, memory, secret_files
from cockpit.engine.hoststate import HostState
from cockpit.untrusted import printable
from screens import gc_freeze
from screens.action_keys import ActionKeys, action_bindings
from screens.dashboard import DashboardScreen
from screens.dns_view import DnsFeed, DnsSwept
from screens.help import HelpScreen
from screens.host_detail import HostDetailScreen
from screens.messages import DisksSwept, PollRunning
from screens.poller import Poller
from screens.signals import quit_on_signals, restore_signals
from screens.sites_view import SitesChecked, SitesFeed
from screens.styles import css_paths as screen_css
from screens.timeline import TimelineScreen
from screens.transfers_feed import TransfersFeed, TransfersPolled
from screens.wallboard import WallboardScreen
from widgets import palette
from widgets.bindings import bind, keydef_for_action, shown
from widgets.disk_pane import DiskPane
from widgets.dns_pane import DnsPane
from widgets.render_cache import forget_render_caches
from widgets.sites_pane import SitesPane
from widgets.strip_caches import install as lazy_strip_caches
from widgets.styles import css_paths as widget_css
from widgets.transfers_pane import TransfersPane

if TYPE_CHECKING:
    from cockpit.engine.engine import Engine


GIVE_BACK_SECONDS = 60.0  # free heap pages go back to the system this often


class CockpitApp(ActionKeys, App[int]):
    TITLE = "cockpit"
    CSS_PATH: ClassVar[list[str | PurePath]] = [*widget_css(), *screen_css()]
    BINDINGS: ClassVar[list[BindingType]] = [
        bind("quit", "quit"),
        bind("help", "help", footer="Help"),
        bind("refresh", "refresh", footer="Refresh"),
        *action_bindings(),  # recovery actions (screens/action_keys.py)
        bind("timeline", "timeline", show=False),
    ]

    def __init__(self, engine: Engine, *, poll: bool = True, wallboard: bool = False) -> None:
        """``poll=False`` starts no sweeps (snapshots feed state with :meth:`show_disks`)."""
        super().__init__()
        lazy_strip_caches()  # a strip's seven caches built when used, not when made (widgets/strip_caches.py)
        palette.follow(self.no_color)  # one look at NO_COLOR, Textual's own
        self.engine = engine
        self.keys = keymap.resolve(engine.inventory.keys)
        self._poll = poll
        self.wallboard = wallboard  # the shared-screen layout (screens/wallboard.py); needs a read-only engine
        self.hosts: Mapping[str, HostState] = dict(engine.hosts)  # as last shown
        self.disk_poller = Poller(self, "disks", engine.inventory.defaults.refresh, self._sweep_disks)
        self.sites_feed = SitesFeed(self, engine)  # table corruption (screens/sites_view.py)
        self.transfers_feed = TransfersFeed(self, engine.transfers)  # /storage imports (screens/transfers_feed.py)
        self.dns_feed = DnsFeed(self, engine)  # DNS propagation (screens/dns_view.py)

    @property
    def read_only(self) -> bool:
        return self.engine.read_only

    def get_default_screen(self) -> Screen[None]:
        if self.wallboard:
            return WallboardScreen(self.keys, self.engine)
        return DashboardScreen(self.keys, read_only=self.read_only)

    @property
    def dashboard(self) -> DashboardScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, DashboardScreen)
        return screen

    def on_mount(self) -> None:
        quit_on_signals(self)  # SIGTERM/SIGHUP quit cleanly (screens/signals.py)
        self.set_keymap(dict(self.engine.inventory.keys))
        self.report_incomplete_actions()
        self.set_interval(GIVE_BACK_SECONDS, memory.give_back, name="memory")  # flat RSS over days (cockpit/memory.py)
        # one-off keys (gone widgets' lines, strings measured once): widgets/render_cache.py
        self.set_interval(GIVE_BACK_SECONDS, forget_render_caches, name="render caches")
        for warning in secret_files.warnings(self.engine.inventory):  # secret files other users can read
            self.notify(warning, title="cockpit", severity="warning", timeout=30, markup=False)

    def on_dashboard_screen_ready(self) -> None:
        self.show_disks(DisksSwept(dict(self.engine.hosts), self.engine.summary(), self.engine.last_disk_sweep,
                                   self._refresh()))
        if self._poll:
            self.disk_poller.start()
        self.sites_feed.attach(self._poll)
        self.transfers_feed.attach(self._poll)
        self.dns_feed.attach(self._poll)

    async def _sweep_disks(self) -> DisksSwept:
        hosts = await self.engine.sweep_disks()
        return DisksSwept(hosts, self.engine.summary(), self.engine.last_disk_sweep, self._refresh())

    def _refresh(self) -> float | None:
        """Seconds between disk sweeps, when they are scheduled (the header says when one is late)."""
        return self.engine.inventory.defaults.refresh if self._poll else None

    def on_disks_swept(self, message: DisksSwept) -> None:
        if not self.screen_stack or not self.is_running:  # the app closes: its screens are (being) taken apart
            return
        self.show_disks(message)
        self.sites_feed.hosts_swept(message.hosts)  # sites of a host back up: checked again now
        # a long-lived cockpit: start-up objects out of full collections, ended connections collected (gc_freeze)
        gc_freeze.after_sweep(self.engine.pool.connections_ended)

    def show_disks(self, message: DisksSwept) -> None:
        self.hosts = message.hosts
        self.dashboard.show_disks(message)
        for screen in self.screen_stack:
            if isinstance(screen, HostDetailScreen) and screen.host in message.hosts:
                screen.show_state(message.hosts[screen.host])

    def on_dns_swept(self, message: DnsSwept) -> None:
        if self.is_running:  # not while shutting down
            self.dns_feed.deliver(message)

    def on_dns_pane_site_chosen(self, message: DnsPane.SiteChosen) -> None:
        self.dns_feed.open_detail(message.site)

    def on_transfers_polled(self, message: TransfersPolled) -> None:
        if self.is_running:  # not while shutting down
            self.transfers_feed.deliver(message)

    def on_transfers_pane_verify_requested(self, message: TransfersPane.VerifyRequested) -> None:
        self.transfers_feed.verify(message.site, message.destination_host)

    def on_transfers_pane_import_chosen(self, message: TransfersPane.ImportChosen) -> None:
        self.transfers_feed.open_detail(message.key)

    def on_sites_checked(self, message: SitesChecked) -> None:
        if self.is_running:  # not while shutting down
            self.sites_feed.deliver()

    def on_sites_pane_site_chosen(self, message: SitesPane.SiteChosen) -> None:
        self.sites_feed.open_detail(message.site)

    def on_sites_pane_recheck_requested(self, message: SitesPane.RecheckRequested) -> None:
        self.sites_feed.recheck(message.site, message.extended)

    def on_poll_running(self, message: PollRunning) -> None:
        if message.poll == "disks" and self.is_running:  # not while shutting down (screens are taken apart)
            self.dashboard.show_sweeping(message.running)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one place worker failures surface: a notification, never a crash or a traceback."""
        if event.state is not WorkerState.ERROR:
            return
        error = event.worker.error
        what = event.worker.description or event.worker.name or "a background task"
        detail = printable(f"{type(error).__name__}: {error}", 300)
        self.notify(f"{what} failed: {detail}", title="cockpit", severity="error", timeout=15, markup=False)

    def action_refresh(self) -> None:
        self.engine.retry_now()
        self.dns_feed.refresh_now()
        if not self.disk_poller.refresh_now():
            self.notify("a sweep is already running; its result is on the way", timeout=3)

    def action_timeline(self) -> None:
        if isinstance(self.screen, TimelineScreen):
            self.pop_screen()
        else:
            self.push_screen(TimelineScreen(self.engine))

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
        else:
            self.push_screen(HelpScreen(self.keys, read_only=self.read_only))

    def on_disk_pane_host_chosen(self, message: DiskPane.HostChosen) -> None:
        state = self.hosts.get(message.host)
        if state is not None:
            self.push_screen(HostDetailScreen(state))

    async def action_quit(self) -> None:
        if self.quit_held_by_running_actions():
            return
        await self._shut_down_engine()
        self.exit(0)

    async def on_unmount(self) -> None:
        restore_signals()
        await self._shut_down_engine()  # however the app ends (idempotent)

    async def _shut_down_engine(self) -> None:
        self.disk_poller.stop()
        self.sites_feed.stop()
        self.transfers_feed.stop()
        self.dns_feed.stop()
        await self.engine.close()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Read-only hides recovery-action bindings everywhere (screens and
        widgets defer to this via AppChecksActions). The engine's gate refuses them."""
        return shown(keydef_for_action(action), read_only=self.read_only)

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The palette offers the bindings that are active (so never a hidden one)."""
        titles = set()
        for command in super().get_system_commands(screen):
            titles.add(command.title)
            yield command
        for active in screen.active_bindings.values():
            b = active.binding
            if b.id is not None and active.enabled and b.description and b.description not in titles:
                titles.add(b.description)
                yield SystemCommand(b.description, f"key: {self.get_key_display(b)}",
                                    partial(self.run_action, b.action, active.node))
