"""Actions of this cockpit, live: each step pending, running, done or failed,
with its output, then the verification. Leaving this screen does not stop an
action: it runs in an App-owned worker, and this screen shows it again later."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from cockpit.actions.model import ActionRun, RunState, StepState
from widgets.bindings import AppChecksActions
from widgets.footer import Footer

_STEP = {StepState.PENDING: ("·", "dim"), StepState.RUNNING: ("▶", "bold yellow"), StepState.DONE: ("✓", "green"),
         StepState.FAILED: ("✗", "bold red"), StepState.SKIPPED: ("-", "dim")}
_RUN = {RunState.DONE: "green", RunState.FAILED: "bold red", RunState.REFUSED: "bold red"}


def run_text(run: ActionRun) -> Text:
    """One run as text; every piece of host output is a plain (markup-free) string."""
    out = Text(end="")
    out.append(f"{run.action} {run.target}", style="bold")
    out.append(f"  {run.state}", style=_RUN.get(run.state, "bold yellow"))
    if run.message:
        out.append(f"  {run.message}")
    out.append(f"\n  {run.plan.target.identity}", style="dim")
    for i, step in enumerate(run.steps, 1):
        mark, style = _STEP[step.state]
        out.append(f"\n  {mark} {i}. ", style=style)
        out.append(step.spec.title)
        for line in step.output.splitlines()[:12]:
            out.append(f"\n       {line}", style="dim")
    for c in run.verification:
        out.append(f"\n  {'✓' if c.ok else '✗'} verify: ", style="green" if c.ok else "bold red")
        out.append(c.what + (f": {c.detail}" if c.detail else ""))
    for child in run.children:
        out.append(f"\n    ↳ {child.action} {child.target}: {child.state} {child.message}")
    return out


class ActionProgressScreen(AppChecksActions, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "app.pop_screen", "Back (actions keep running)")]

    def __init__(self, runs: list[ActionRun]) -> None:
        super().__init__()
        self._runs = runs  # the service's list: new runs appear in it

    def compose(self) -> ComposeResult:
        yield Static(Text("Actions of this cockpit (newest first); escape leaves them running", end=""),
                     classes="screen-title")
        with VerticalScroll(id="progress-body"):
            yield Static(id="progress-runs")
        yield Footer()

    def on_mount(self) -> None:
        self.show_runs()

    def show_runs(self) -> None:
        if not self._runs:
            self.query_one("#progress-runs", Static).update(Text("No action has run in this cockpit yet.", end=""))
            return
        parts = [run_text(r) for r in reversed(self._runs) if r.parent is None]
        self.query_one("#progress-runs", Static).update(Text("\n\n", end="").join(parts))
