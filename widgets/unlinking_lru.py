"""Textual's LRUCache, but emptying it frees what it held at once (Textual 8.2.8).

``LRUCache`` keeps its entries in a ring of lists, each ``[prev, next, key,
value]``. ``clear()`` drops the dict and the head but leaves the ring: a cycle,
which reference counting cannot free, so every value in it (a DataTable's
rendered lines and rows: strips, segments, styles) waits for the cyclic garbage
collector. KeyedTable empties DataTable's caches after every change
(widgets/keyed_table.py), so during an outage sweeps left bursts of 1,500-2,500
objects of garbage (bench/soak.py, a collection after every sweep counting
them: Segment, list, Strip, RowRenderables); with this, at most ~750 (workers,
connection attempts). Garbage waits for Python's collection thresholds, and
meanwhile it is what pymalloc's arenas grow for.

:meth:`UnlinkingLRUCache.clear` empties every entry of the ring first, so nothing
is left in a cycle. :func:`unlink_caches` swaps a widget's LRU caches for these.
"""

from __future__ import annotations

from typing import Any

from textual.cache import CacheKey, CacheValue, LRUCache


class UnlinkingLRUCache(LRUCache[CacheKey, CacheValue]):
    __slots__ = ()

    def clear(self) -> None:
        node: list[Any] = self._head
        while node:  # round the ring; an entry already emptied ends it
            after = node[1]
            node.clear()
            node = after
        super().clear()


def unlink_caches(owner: object) -> int:
    """Replace each plain ``LRUCache`` in ``owner``'s attributes by an empty :class:`UnlinkingLRUCache`
    of the same size (call before anything is cached). How many were replaced."""
    replaced = 0
    for name, value in list(vars(owner).items()):
        if type(value) is LRUCache:
            setattr(owner, name, UnlinkingLRUCache(value.maxsize))
            replaced += 1
    return replaced
