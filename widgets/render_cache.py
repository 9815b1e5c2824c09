"""Let go of the last lines drawn by widgets that are gone (Textual 8.2.8).

Textual caches the two background styles of a widget's lines in
``StylesCache.get_inner_outer``: an ``lru_cache(1024)`` on a method whose first
argument is named ``cls`` but which is not a classmethod, so every entry is keyed
by, and holds, one widget's StylesCache, and with it every line that widget drew
last (its strips, their segments and styles, seven small caches per strip). A
widget removed from the screen stays in memory that way until 1,024 newer entries
push it out.

The cockpit's Footer recomposes on each focus change (about ten widgets a time),
and the wallboard moves focus whenever the worst pane changes: in a 55-minute
soak the cache grew from 122 to 588 entries and Python's objects with it
(StylesCache 91 -> 610, Strip +1,000, Style +3,000, FIFOCache +7,000), RSS
76 -> 88 MiB. Clearing the cache drops those entries; each widget still shown
gets its two styles again the next time it draws a line (bench/ui_churn.py).
"""

from __future__ import annotations

from textual._styles_cache import StylesCache


def forget_closed_widgets_lines() -> None:
    """Drop Textual's per-widget style cache, and with it the StylesCaches of widgets that are gone."""
    StylesCache.get_inner_outer.cache_clear()
