"""One host's details (Enter on a disk row): address, state, host key, every
mount, RAID array and the kernel log. Updated live by each sweep.

On an ``untrusted`` host, the accept-host-key key fetches the key the host
presents now and asks (:class:`HostKeyConfirmScreen`, Cancel focused) before
the engine records it (:mod:`cockpit.engine.hostkey`: read-only gate, audit)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from cockpit import clock
from cockpit.engine import hostkey
from cockpit.engine.gate import ReadOnlyRefused
from cockpit.engine.hoststate import HostState, Reach
from cockpit.transport.errors import HostDown
from screens.host_key_confirm import HostKeyConfirmScreen
from widgets.bindings import AppChecksActions, bind
from widgets.footer import Footer
from widgets.host_report import HostReport

if TYPE_CHECKING:
    from cockpit.engine.engine import Engine


class HostDetailScreen(AppChecksActions, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Back"),
                                             bind("accept_host_key", "accept_host_key", footer="Accept key")]

    def __init__(self, state: HostState) -> None:
        super().__init__()
        self.host = state.name  # captured when opened: a re-sorted table cannot change it
        self._state = state

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Host {self.host}: details", end=""), classes="screen-title")
        with VerticalScroll(id="host-detail-body"):
            yield HostReport(id="host-report")
        yield Footer()

    def on_mount(self) -> None:
        self.show_state(self._state)
        self.set_interval(1.0, self._tick)

    def show_state(self, state: HostState) -> None:
        untrusted_changed = (state.reach is Reach.UNTRUSTED) != (self._state.reach is Reach.UNTRUSTED)
        self._state = state
        self.query_one(HostReport).show(state, clock.now())
        if untrusted_changed:
            self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "accept_host_key" and self._state.reach is not Reach.UNTRUSTED:
            return False  # offered only while the key is in question
        return super().check_action(action, parameters)

    @property
    def _engine(self) -> Engine:
        return cast("Engine", getattr(self.app, "engine"))  # noqa: B009 - the CockpitApp's (no import cycle)

    def action_accept_host_key(self) -> None:
        self.app.run_worker(self._offer_key(), group=f"hostkey:{self.host}", exclusive=True,
                            description=f"fetching the host key of {self.host}", exit_on_error=False)

    async def _offer_key(self) -> None:
        try:
            offer = await hostkey.offer(self._engine, self.host)
        except (ReadOnlyRefused, hostkey.HostKeyError, HostDown) as e:
            self.app.notify(str(e), title="host key", severity="error", timeout=10, markup=False)
            return

        def decided(accepted: bool | None) -> None:
            if accepted:
                self.app.run_worker(self._accept_key(offer), group=f"hostkey:{self.host}", exclusive=True,
                                    description=f"accepting the host key of {self.host}", exit_on_error=False)

        self.app.push_screen(HostKeyConfirmScreen(offer), decided)

    async def _accept_key(self, offer: hostkey.KeyOffer) -> None:
        try:
            state = await hostkey.accept(self._engine, offer)
        except (ReadOnlyRefused, hostkey.HostKeyError, HostDown) as e:
            self.app.notify(str(e), title="host key", severity="error", timeout=10, markup=False)
            return
        why = f" ({state.error})" if state.error else ""
        self.app.notify(f"{self.host}: host key {offer.fingerprint} accepted; the host is {state.reach}{why}",
                        title="host key", timeout=8, markup=False)
        if self.is_attached:
            self.show_state(state)

    def target_selection(self) -> dict[str, str]:
        """Recovery-action keys here act on this host (captured when the screen opened)."""
        return {"host": self.host}

    def _tick(self) -> None:  # keep "checked 3 seconds ago" true
        self.show_state(self._state)
