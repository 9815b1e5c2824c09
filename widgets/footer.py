"""Textual's Footer, without its leak (Textual 8.2.8).

The Footer recomposes whenever the focused widget's bindings change, and each
FooterKey it yields binds ``compact`` to the Footer (``data_bind``), which adds
a watcher to the Footer's own list. Textual drops the watchers of closed nodes
only when ``compact`` changes, which on a cockpit it never does: every
recompose kept the old FooterKeys (their styles, message queues and renders)
for good. A wallboard moves focus every few seconds, so it lost ~100 widgets
every ten minutes (bench/soak.py's leak hunt: Footer.__watchers["compact"]).
Textual's style cache also kept each old key's last lines (widgets/render_cache.py):
after a recompose the Footer lets those go too.

It also recomposed when the keys it shows had not changed: the screen signals
"bindings updated" on every focus change and every ``refresh_bindings``, and
the wallboard moves focus between panes whose shown keys are the same. Each
time, ~10 widgets were built, styled, laid out and drawn, and the old ones left
for the collector: churn that raised the soak's heap and cost CPU for nothing
(bench/soak.py). The Footer now recomposes only when what it would show
differs: the keys, their labels, whether each is enabled, and its tooltip.

And when the keys differ but the groups do not (the same groups, with the same
labels and as many keys each, and the command palette's key or not), the Footer
keeps its widgets: it rewrites their keys, adds or drops ungrouped keys, and puts
them in order. The wallboard moves focus to the worst pane at each new fault, and
the sites pane shows keys the others do not: a recompose built, styled and drew
~13 widgets, and Textual made a styling node for each of their component
classes, so one focus move made a ~900 KiB burst of short-lived objects; with
this and Pane.set_active, 270-410 KiB (tests/ui/test_focus_move.py). The soak's
RSS had stepped up at such moves, but without the bursts it rose as much over
30 minutes (71.5 -> 74.1 MiB against 71.3 -> 74.1, bench/results/soak-20261129T041912.json):
they were not what holds the memory. What they cost is work: the soak used 2.3 %
of a core, against 3.2 % in the run before (one run each).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby

from textual._context import active_message_pump
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey, KeyGroup

from widgets.render_cache import forget_closed_widgets_lines


def drop_closed_watchers(node: object) -> int:
    """Forget the watchers, on ``node``'s reactives, that belong to nodes which are gone; how many."""
    watchers: dict[str, list[tuple[object, object]]] = getattr(node, "__watchers", {})
    dropped = 0
    for entries in watchers.values():
        alive = [(owner, callback) for owner, callback in entries
                 if not (getattr(owner, "_closing", False) or getattr(owner, "_closed", False))]
        dropped += len(entries) - len(alive)
        entries[:] = alive
    return dropped


@dataclass(frozen=True)
class KeySpec:
    """One FooterKey as Footer.compose (Textual 8.2.8) makes it."""

    key: str
    key_display: str
    description: str
    action: str
    disabled: bool
    tooltip: str

    def make(self, classes: str = "") -> FooterKey:
        return FooterKey(self.key, self.key_display, self.description, self.action, disabled=self.disabled,
                         tooltip=self.tooltip, classes=classes)

    def write(self, widget: FooterKey) -> None:
        """Make ``widget`` show this key."""
        width = (widget.key_display, widget.description)
        widget.key, widget.key_display, widget.description = self.key, self.key_display, self.description
        widget.action, widget._disabled = self.action, self.disabled
        widget.tooltip = self.tooltip or None
        if widget.has_class("-disabled") != self.disabled:
            widget.set_class(self.disabled, "-disabled")
        widget.refresh(layout=width != (self.key_display, self.description))


@dataclass(frozen=True)
class KeysGroup:
    """Bindings of one group, shown together under its label."""

    description: str
    compact: bool
    keys: tuple[KeySpec, ...]

    @property
    def signature(self) -> tuple[str, bool, int]:
        return self.description, self.compact, len(self.keys)


@dataclass(frozen=True)
class Plan:
    """What Footer.compose (Textual 8.2.8) yields, in order: loose keys and groups, then the palette's key."""

    items: tuple[KeySpec | KeysGroup, ...]
    palette: KeySpec | None

    @property
    def groups(self) -> list[tuple[str, bool, int]]:
        return [item.signature for item in self.items if isinstance(item, KeysGroup)]


class Footer(TextualFooter):
    _composed_for: Plan | None = None  # what the widgets there are show (equal plans: the same footer)

    def plan(self) -> Plan:
        """What Footer.compose would yield now."""
        app, active = self.app, self.screen.active_bindings
        by_action: defaultdict[str, list[tuple[Binding, bool, str]]] = defaultdict(list)
        for _node, binding, enabled, tooltip in active.values():
            if binding.show:
                by_action[binding.action].append((binding, enabled, tooltip))
        items: list[KeySpec | KeysGroup] = []
        for group, runs in groupby(by_action.values(), lambda multi: multi[0][0].group):
            firsts = [multi[0] for multi in runs]
            if group is not None and len(firsts) > 1:
                items.append(KeysGroup(group.description, group.compact, tuple(
                    KeySpec(b.key, app.get_key_display(b), "", b.action, not enabled, tooltip or b.description)
                    for b, enabled, tooltip in firsts)))
            else:
                items += [KeySpec(b.key, app.get_key_display(b), b.description, b.action, not enabled, tooltip)
                          for b, enabled, tooltip in firsts]
        palette = active.get(app.COMMAND_PALETTE_BINDING)
        if not (self.show_command_palette and app.ENABLE_COMMAND_PALETTE and palette is not None):
            return Plan(tuple(items), None)
        _node, b, enabled, _tooltip = palette
        return Plan(tuple(items), KeySpec(b.key, app.get_key_display(b), b.description, b.action, not enabled,
                                          b.tooltip or b.description))

    async def _reshow(self, plan: Plan) -> bool:
        """Show ``plan`` with the widgets there are, if its groups are theirs; whether it could."""
        children = list(self.children)
        groups = [(w, children[i + 1]) for i, w in enumerate(children) if isinstance(w, KeyGroup)]
        palette = next((w for w in children if isinstance(w, FooterKey) and w.has_class("-command-palette")), None)
        if self._composed_for is None or plan.groups != self._composed_for.groups or len(groups) != len(plan.groups) \
                or (plan.palette is None) != (palette is None):
            return False
        loose = [w for w in children if isinstance(w, FooterKey) and w is not palette]
        wanted = [item for item in plan.items if isinstance(item, KeySpec)]
        new = [spec.make() for spec in wanted[len(loose):]]
        composing = active_message_pump.set(self)  # data_bind binds to the widget composing: this Footer
        try:
            for key in new:
                key.data_bind(compact=Footer.compact)  # as Footer.compose binds its keys
        finally:
            active_message_pump.reset(composing)
        if loose[len(wanted):]:
            await self.remove_children(loose[len(wanted):])
        if new:
            await self.mount_all(new)
        keys, shown_groups = iter(loose[:len(wanted)] + new), iter(groups)
        order: list[Widget] = []
        for item in plan.items:
            if isinstance(item, KeySpec):
                key = next(keys)
                item.write(key)
                order.append(key)
            else:
                box, label = next(shown_groups)
                for spec, widget in zip(item.keys, box.query_children(FooterKey), strict=True):
                    spec.write(widget)
                order += [box, label]
        if palette is not None and plan.palette is not None:
            plan.palette.write(palette)
            order.append(palette)
        for at, child in enumerate(order):
            if self.children[at] is not child:
                self.move_child(child, before=self.children[at])
        return True

    async def recompose(self) -> None:
        if not self.is_attached or self._pruning:  # going away (its screen popped): as Widget.recompose
            return
        plan = self.plan() if self._bindings_ready else Plan((), None)
        if plan == self._composed_for:
            return
        if not await self._reshow(plan):
            await super().recompose()  # the old keys are removed (closed) by now
        self._composed_for = plan
        drop_closed_watchers(self)
        forget_closed_widgets_lines()
