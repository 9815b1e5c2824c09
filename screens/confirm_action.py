"""Confirm an action: its plan, and the target's identity captured when the
screen opened (a refresh that reorders rows cannot change what runs).

Focus starts on Cancel. Destructive or fleet-wide actions enable Run only once
the target's name is typed. A stale lock is broken only if its box is ticked.
Dismisses with :class:`Confirmed` or None.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static

from cockpit.actions.model import Plan
from cockpit.actions.render import plan_lines


@dataclass(frozen=True)
class Confirmed:
    break_stale: bool = False


class ConfirmActionScreen(ModalScreen[Confirmed | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, plan: Plan, *, title: str, typed: bool, dry_run: bool) -> None:
        super().__init__()
        self.plan = plan
        self.target_name = plan.target.name  # captured now, never re-read
        self.identity = plan.target.identity
        self._title, self._typed, self._dry_run = title, typed, dry_run

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(Text(f"Confirm: {self._title}", style="bold", end=""), classes="screen-title")
            yield Static(Text.assemble(("Target: ", "bold"), (self.identity, "bold reverse"), end=""),
                         id="confirm-identity")
            if self._dry_run:
                yield Static(Text("DRY RUN: the plan is shown, nothing will be executed", style="bold yellow",
                                  end=""), id="confirm-dry-run")
            with VerticalScroll(id="confirm-plan"):
                yield Static(Text("\n".join(plan_lines(self.plan)), end=""), id="confirm-plan-text")
            if self.plan.blocked:
                yield Static(Text("Cannot run: preconditions not met (FAIL above)", style="bold red", end=""),
                             id="confirm-blocked")
            if self.plan.stale_locks:
                yield Checkbox("Break the STALE lock(s) above (its owner is gone; audited)", id="confirm-break",
                               compact=True)
            if self._typed:
                yield Static(Text(f"Type the target's name ({self.target_name}) to enable Run:", end=""))
                yield Input(placeholder=self.target_name, id="confirm-typed", compact=True)
            with Horizontal(id="confirm-buttons"):
                yield Button("Cancel", id="confirm-cancel", variant="primary", compact=True)
                yield Button("Run", id="confirm-run", variant="error", disabled=self._run_disabled(""), compact=True)

    def on_mount(self) -> None:
        self.query_one("#confirm-cancel", Button).focus()

    def _run_disabled(self, typed: str) -> bool:
        return bool(self.plan.blocked) or (self._typed and typed.strip() != self.target_name)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#confirm-run", Button).disabled = self._run_disabled(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "confirm-run" and not event.button.disabled:
            breaks = self.query("#confirm-break")
            self.dismiss(Confirmed(break_stale=bool(breaks and breaks.first(Checkbox).value)))
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
