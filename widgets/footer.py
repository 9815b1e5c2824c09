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
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer as TextualFooter

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


class Footer(TextualFooter):
    _composed_for: tuple[Any, ...] | None = None  # what the shown keys were composed from

    def shown(self) -> tuple[Any, ...]:
        """Everything Footer.compose reads to yield its keys (Textual 8.2.8): equal, the same keys."""
        if not self._bindings_ready:
            return ()
        app, active = self.app, self.screen.active_bindings
        keys = tuple((b.key, app.get_key_display(b), b.description, b.action, b.group, enabled, tooltip)
                     for _node, b, enabled, tooltip in active.values() if b.show)
        palette = active.get(app.COMMAND_PALETTE_BINDING)
        shown_palette = None if palette is None else (
            palette[1].key, app.get_key_display(palette[1]), palette[1].description, palette[1].action,
            palette[1].tooltip, palette[2])
        return keys, shown_palette, self.show_command_palette and app.ENABLE_COMMAND_PALETTE

    async def recompose(self) -> None:
        if not self.is_attached or self._pruning:  # going away (its screen popped): as Widget.recompose
            return
        shown = self.shown()
        if shown == self._composed_for:
            return
        await super().recompose()  # the old keys are removed (closed) by now
        self._composed_for = shown
        drop_closed_watchers(self)
        forget_closed_widgets_lines()
