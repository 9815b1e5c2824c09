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

Rich measures every string it draws shorter than 512 characters through
``rich.cells.cached_cell_len``, an ``lru_cache(4096)`` that keeps each string.
The cockpit draws strings that are new every sweep ("swept 3 seconds ago
(02:59:57 UTC)", DNS answer times, transfer rates): a wallboard adds ~80 a
minute that are never drawn again, and in a 30-minute soak (bench/soak.py) the
cache went from 591 to 2,894 entries while RSS rose 1.5 MiB after the first
minute; emptying the bounded caches every minute kept it flat from minute 1 to
20 (``soak.py --clear-caches``). :func:`trim_render_caches` empties it every
minute: a string still on screen is measured again the next time it is drawn.
"""

from __future__ import annotations

from rich.cells import cached_cell_len
from textual._styles_cache import StylesCache


def forget_closed_widgets_lines() -> None:
    """Drop Textual's per-widget style cache, and with it the StylesCaches of widgets that are gone."""
    StylesCache.get_inner_outer.cache_clear()



def forget_measured_strings() -> None:
    """Empty Rich's cache of string widths (strings drawn once, a sweep's times, stay in it otherwise)."""
    cached_cell_len.cache_clear()


def trim_render_caches() -> None:
    """What the App runs every minute: both of the above."""
    forget_closed_widgets_lines()
    forget_measured_strings()
