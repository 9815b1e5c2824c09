"""Let go of what Rich's and Textual's render caches keep for good (Textual 8.2.8, Rich 15).

Textual caches the two background styles of a widget's lines in
``StylesCache.get_inner_outer``: an ``lru_cache(1024)`` on a method whose first
argument is named ``cls`` but which is not a classmethod, so every entry is keyed
by, and holds, one widget's StylesCache, and with it every line that widget drew
last (its strips, their segments and styles, seven small caches per strip). A
widget removed from the screen stays in memory that way until 1,024 newer entries
push it out.

The cockpit's Footer recomposes when the keys it shows change (about ten widgets
a time): in a 55-minute soak the cache grew from 122 to 588 entries and Python's
objects with it (StylesCache 91 -> 610, Strip +1,000, Style +3,000, FIFOCache
+7,000), RSS 76 -> 88 MiB. Clearing the cache drops those entries; each widget
still shown gets its two styles again the next time it draws a line
(bench/ui_churn.py).

The other bounded function caches of Rich and Textual fill the same way with
keys that never come back: Rich's ``cached_cell_len`` keeps every string measured
(each "swept 3 seconds ago", each clock time: 454 -> 3,035 of its 4,096 entries in
a 30-minute soak), ``ANSIToTruecolor.truecolor_style`` is keyed by a filter made
for one render, and the ``Region`` caches by regions of layouts long gone. Bounded,
but on a wallboard they fill for most of an hour: with them emptied every minute,
the soak's RSS stopped rising once its faults had all been drawn once (bench/soak.py
``--clear-caches functools``, 15 minutes: 78.1 MiB at minute 4, 78.3 at minute 14;
without, 78.4 -> 79.3). What is still shown is measured again on its next draw.
"""

from __future__ import annotations

import functools
import sys
from typing import Any

from textual._styles_cache import StylesCache

LIBRARIES = ("rich", "textual")  # whose module-level and class-level function caches are emptied


def forget_closed_widgets_lines() -> None:
    """Drop Textual's per-widget style cache, and with it the StylesCaches of widgets that are gone."""
    StylesCache.get_inner_outer.cache_clear()


def _lru(candidate: Any) -> Any:
    try:
        func = getattr(candidate, "__func__", candidate)  # a classmethod or staticmethod holds the cached function
    except Exception:  # a module's odd object (a lazy proxy whose lookups raise): not a cache
        return None
    return func if isinstance(func, functools._lru_cache_wrapper) else None


def bounded_function_caches(libraries: tuple[str, ...] | None = LIBRARIES) -> list[Any]:
    """Every ``functools.lru_cache`` with a size limit, in the libraries' modules and on their classes
    (``None``: every module's, as bench/heap_hunt.py counts them). Modules imported since the last call
    are included (looked up each time: a few ms)."""
    found: dict[int, Any] = {}
    for name, module in list(sys.modules.items()):
        if libraries is not None and name.split(".", 1)[0] not in libraries:
            continue
        for value in list(getattr(module, "__dict__", {}).values()):  # sys.modules may hold None
            candidates = [value, *vars(value).values()] if isinstance(value, type) else [value]
            for candidate in candidates:
                cache = _lru(candidate)
                if cache is not None and cache.cache_info().maxsize is not None:
                    found[id(cache)] = cache
    return list(found.values())


def forget_render_caches() -> int:
    """Empty Rich's and Textual's bounded function caches (StylesCache.get_inner_outer among them);
    the entries dropped."""
    dropped = 0
    for cache in bounded_function_caches():
        dropped += cache.cache_info().currsize
        cache.cache_clear()
    return dropped
