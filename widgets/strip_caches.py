"""Textual's strips build their seven small caches when first used, not all seven when made (Textual 8.2.8).

Every line Textual draws is a :class:`~textual.strip.Strip`, and every step of
drawing it (crop, style, offsets, join) makes another. Each one built seven
``FIFOCache`` objects at birth, each with its own dict: about 900 bytes and
fourteen allocations, while most strips are used once or never again. On the
wallboard a frame that redraws the screen (a new worst pane) made some 750
strips at once and 5,000 caches with them; the soak's steps of RSS came with
those frames (bench/soak.py ``--steps``: ``FIFOCache+5268`` at the first focus
move), and each such peak left pymalloc with arenas it keeps.

:func:`install` makes a strip start without them: reading one of the seven
attributes the first time builds that cache (``__getattr__`` is called only for
a slot never set), so every method of Strip works unchanged. Textual's own
``Content`` builds its divide cache the same way. A strip, one crop of it and
one styled crop took 4,216 bytes, and 1,783 with this (bench/strip_caches.py).

Only for the Textual it was written against: with another version, or if Strip's
slots are not the ones expected, nothing is changed and Textual's own
constructor stays.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import textual
from rich.segment import Segment
from textual.cache import FIFOCache
from textual.strip import Strip

TEXTUAL = "8.2.8"  # the version whose Strip.__init__ this replaces
CACHE_SIZES = {  # as Strip.__init__ sizes them
    "_divide_cache": 4,
    "_crop_cache": 16,
    "_style_cache": 16,
    "_filter_cache": 4,
    "_line_length_cache": 4,
    "_crop_extend_cache": 4,
    "_offsets_cache": 4,
}
_OTHER_SLOTS = ("_segments", "_cell_length", "_render_cache", "_link_ids", "_cell_count")
TEXTUALS_INIT = Strip.__init__  # as imported, before any install


def _init(self: Strip, segments: Iterable[Segment], cell_length: int | None = None) -> None:
    """Strip.__init__ of Textual 8.2.8, less the caches."""
    self._segments = list(segments)
    self._cell_length = cell_length
    self._render_cache = None
    self._link_ids = None
    self._cell_count = None


def _cache_on_first_use(self: Strip, name: str) -> Any:
    """Called only for an attribute not found: one of the caches, not built yet."""
    size = CACHE_SIZES.get(name)
    if size is None:
        raise AttributeError(f"'Strip' object has no attribute {name!r}")
    cache: FIFOCache[Any, Any] = FIFOCache(size)
    object.__setattr__(self, name, cache)
    return cache


def applies(version: str = textual.__version__) -> bool:
    """Whether this Textual's Strip is the one :func:`_init` copies."""
    slots = set(getattr(Strip, "__slots__", ()))
    return version == TEXTUAL and slots == set(CACHE_SIZES) | set(_OTHER_SLOTS) and "__getattr__" not in vars(Strip)


def install() -> bool:
    """Make strips build their caches on first use (once per process). Whether that is in force."""
    if vars(Strip).get("__init__") is _init:
        return True
    if not applies():
        return False
    Strip.__init__ = _init  # type: ignore[method-assign]
    Strip.__getattr__ = _cache_on_first_use  # type: ignore[attr-defined]
    return True
