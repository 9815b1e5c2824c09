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
"""

from __future__ import annotations

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
    async def recompose(self) -> None:
        await super().recompose()  # the old keys are removed (closed) by now
        drop_closed_watchers(self)
        forget_closed_widgets_lines()
