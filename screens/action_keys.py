"""The App's recovery-action keys: one binding per action (ids from
:mod:`cockpit.keymap`), the confirm screen, and execution in App-owned workers.

Every key goes to the engine's :class:`~cockpit.actions.service.ActionService`:
``prepare`` passes the read-only gate first, so even a key that slipped past
the UI's hiding does nothing but show the refusal. The target is what the
cursor is on when the key is pressed (the dashboard's active pane, or the
host detail screen), resolved once into the plan the confirm screen keeps.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.binding import Binding
from textual.message import Message

from cockpit.actions import registry
from cockpit.actions.model import ActionError, ActionRun, Plan
from cockpit.actions.service import ActionService
from cockpit.engine.gate import DryRunRefused, ReadOnlyRefused
from cockpit.untrusted import printable
from cockpit.wording import count
from screens.action_progress import ActionProgressScreen
from screens.confirm_action import ConfirmActionScreen, Confirmed
from widgets.bindings import bind

if TYPE_CHECKING:
    from cockpit.engine.engine import Engine


class ActionChanged(Message):
    """A run changed (a step started or ended, the verification, the end)."""

    def __init__(self, run: ActionRun) -> None:
        super().__init__()
        self.run = run

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ActionChanged) and message.run is self.run


_ACTIONS_GROUP = Binding.Group("Actions", compact=True)


def action_bindings() -> list[Binding]:
    binds = [bind("actions", "show_actions", show=False)]
    binds += [bind(a.binding, f"recovery_{a.binding}", group=_ACTIONS_GROUP) for a in registry.actions().values()]
    return binds


def _action_method(name: str) -> Callable[[Any], None]:
    def method(self: ActionKeys) -> None:
        self.start_action(name)

    method.__name__ = f"action_recovery_{registry.get(name).binding}"
    return method


class ActionKeys:
    """Mixin for the App (first base). Needs ``engine`` and ``screen``."""

    engine: Engine
    _action_service: ActionService | None = None

    @property
    def actions(self) -> ActionService:
        if self._action_service is None:
            self._action_service = ActionService(self.engine)
            app = self._app()

            def changed(run: ActionRun) -> None:
                app.post_message(ActionChanged(run))

            self._action_service.subscribe(changed)
        return self._action_service

    def _app(self) -> App[int]:
        assert isinstance(self, App)
        return self

    def report_incomplete_actions(self) -> None:
        """At start: actions a crash left unfinished (recorded as incomplete in the audit)."""
        if self.engine.read_only:
            return
        try:
            found = self.actions.incomplete()
        except OSError as e:
            self._app().notify(f"cannot read the audit log: {e}", severity="warning", markup=False)
            return
        for rec in found:
            self._app().notify(f"{rec.get('action')} on {rec.get('target')}, started {rec.get('at')} by "
                               f"{rec.get('user')}, never finished (crash?): check it, then run it again",
                               title="incomplete action", severity="warning", timeout=30, markup=False)

    def selection(self) -> Mapping[str, str]:
        """What the cursor is on now, by target kind (host, site, table)."""
        screen = self._app().screen
        pick = getattr(screen, "target_selection", None)
        return pick() if callable(pick) else {}

    def start_action(self, name: str) -> None:
        app = self._app()
        action = registry.get(name)
        try:
            self.actions.gate.check(name, "(selection)")  # read-only: refused before anything else
        except ReadOnlyRefused as e:
            app.notify(str(e), title="refused", severity="error", markup=False)
            return
        chosen = self.selection()
        target = next((chosen[str(k)] for k in action.kinds if str(k) in chosen), None)
        if target is None:
            app.notify(f"{action.title}: select a {' or '.join(str(k) for k in action.kinds)} row first",
                       severity="warning", markup=False)
            return
        app.run_worker(self._prepare(name, target), group="action-plans", description=f"planning {name} {target}")

    async def _prepare(self, name: str, target: str) -> None:
        app = self._app()
        action = registry.get(name)
        try:
            plan = await self.actions.prepare(name, target)
        except (ActionError, ReadOnlyRefused) as e:
            app.notify(printable(str(e), 400), title=f"{name} {target}", severity="error", markup=False, timeout=10)
            return
        if not action.confirm:
            self._execute(plan, Confirmed())
            return
        screen = ConfirmActionScreen(plan, title=f"{action.title} — {action.summary}", typed=action.typed,
                                     dry_run=self.actions.gate.dry_run)
        app.push_screen(screen, lambda result: self._confirmed(plan, result))

    def _confirmed(self, plan: Plan, result: Confirmed | None) -> None:
        if result is None:
            self._app().notify(f"{plan.action} {plan.target.name}: cancelled, nothing was done", timeout=4)
            return
        self._execute(plan, result)
        if not self.actions.gate.dry_run:
            self.action_show_actions()

    def _execute(self, plan: Plan, confirmed: Confirmed) -> None:
        self._app().run_worker(self._run(plan, confirmed.break_stale), group="actions",
                               description=f"{plan.action} {plan.target.name}")

    async def _run(self, plan: Plan, break_stale: bool) -> None:
        app = self._app()
        try:
            run = await self.actions.execute(plan, break_stale=break_stale)
        except (ReadOnlyRefused, DryRunRefused) as e:
            app.notify(str(e), title=plan.action, severity="warning", markup=False, timeout=8)
            return
        app.notify(f"{run.action} {run.target}: {run.outcome}", title="action",
                   severity="information" if run.ok else "error", markup=False, timeout=10)

    _quit_pressed_once = False

    def quit_held_by_running_actions(self) -> bool:
        """Quitting interrupts running actions: the first q says so, a second one within 5 s quits."""
        running = [r for r in self._action_service.runs if not r.finished] if self._action_service else []
        if not running or self._quit_pressed_once:
            return False
        self._quit_pressed_once = True
        app = self._app()
        app.set_timer(5.0, lambda: setattr(self, "_quit_pressed_once", False))
        which = ", ".join(f"{r.action} {r.target}" for r in running)
        app.notify(f"{count(len(running), 'action')} still running ({which}): "
                   "quitting interrupts them (recorded as interrupted). Press q again to quit anyway.",
                   title="actions running", severity="warning", timeout=5, markup=False)
        return True

    def action_show_actions(self) -> None:
        app = self._app()
        if isinstance(app.screen, ActionProgressScreen):
            app.pop_screen()
        else:
            app.push_screen(ActionProgressScreen(self.actions.runs))

    def on_action_changed(self, message: ActionChanged) -> None:
        for screen in self._app().screen_stack:
            if isinstance(screen, ActionProgressScreen):
                screen.show_runs()


for _name in registry.NAMES:
    setattr(ActionKeys, f"action_recovery_{registry.get(_name).binding}", _action_method(_name))
