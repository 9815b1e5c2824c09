"""Confirm accepting a host's new SSH key: the fingerprint the host presents
now next to the one trusted until now, and where the key will be written.

Focus starts on Cancel; Escape cancels. Dismisses with True (accept) or False.
Every fingerprint is computed here from the key, never text from the host.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from cockpit.engine.hostkey import KeyOffer


def offer_text(offer: KeyOffer) -> Text:
    head = "has a NEW SSH host key" if offer.changed else "has an SSH host key you never accepted"
    t = Text.assemble((f"{offer.host}", "bold"), f" ({offer.address}) {head}.\n\n", end="")
    for fp in offer.trusted:
        t.append_text(Text.assemble(("trusted until now  ", "bold"), fp, "\n"))
    if not offer.trusted:
        t.append_text(Text.assemble(("trusted until now  ", "bold"), ("nothing", "dim"), "\n"))
    t.append_text(Text.assemble(("presented now      ", "bold"), (offer.fingerprint, "bold reverse"), "\n\n"))
    t.append(f"Accepting writes it to {offer.known_hosts} and audits it. Accept only if you know why the key "
             "changed (a reinstall, a replaced machine): a changed key can also mean someone is between you "
             "and the host. Until then nothing runs on this host.")
    return t


class HostKeyConfirmScreen(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, offer: KeyOffer) -> None:
        super().__init__()
        self.offer = offer  # what is accepted is exactly what is shown

    def compose(self) -> ComposeResult:
        with Vertical(id="hostkey-box"):
            yield Static(Text(f"Confirm: accept the host key of {self.offer.host}", style="bold", end=""),
                         classes="screen-title")
            yield Static(offer_text(self.offer), id="hostkey-offer")
            with Horizontal(id="hostkey-buttons"):
                yield Button("Cancel", id="hostkey-cancel", variant="primary", compact=True)
                yield Button("Accept key", id="hostkey-accept", variant="error", compact=True)

    def on_mount(self) -> None:
        self.query_one("#hostkey-cancel", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "hostkey-accept")

    def action_cancel(self) -> None:
        self.dismiss(False)
