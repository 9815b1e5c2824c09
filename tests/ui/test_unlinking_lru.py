"""Emptying a table's render caches frees what they held at once, without the cyclic collector
(widgets/unlinking_lru.py)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.cache import LRUCache

from widgets.keyed_table import KeyedTable, TableRow
from widgets.unlinking_lru import UnlinkingLRUCache


class Line:
    """A cached value a weak reference can follow."""


@pytest.fixture
def no_collector() -> Iterator[None]:
    """Only reference counting frees anything while the test runs."""
    was = gc.isenabled()
    gc.disable()
    yield
    if was:
        gc.enable()


def filled(cache: LRUCache[int, Line], n: int) -> list[weakref.ref[Line]]:
    refs = []
    for i in range(n):
        line = Line()
        cache[i] = line
        refs.append(weakref.ref(line))
    return refs


@pytest.mark.usefixtures("no_collector")
def test_textuals_cache_leaves_its_values_to_the_collector_and_this_one_does_not() -> None:
    plain: LRUCache[int, Line] = LRUCache(10)
    held = filled(plain, 5)
    plain.clear()
    assert all(r() is not None for r in held)  # the reason for the class: a ring nobody can reach
    gc.collect()
    assert all(r() is None for r in held)

    unlinking: UnlinkingLRUCache[int, Line] = UnlinkingLRUCache(10)
    held = filled(unlinking, 5)
    unlinking.clear()
    assert all(r() is None for r in held)


@pytest.mark.usefixtures("no_collector")
def test_a_single_entry_and_an_empty_cache_clear_too() -> None:
    cache: UnlinkingLRUCache[int, Line] = UnlinkingLRUCache(10)
    cache.clear()
    held = filled(cache, 1)  # an entry whose ring is itself
    cache.clear()
    assert held[0]() is None and len(cache) == 0


def test_still_a_least_recently_used_cache_after_a_clear() -> None:
    cache: UnlinkingLRUCache[str, int] = UnlinkingLRUCache(2)
    cache["a"], cache["b"] = 1, 2
    cache.clear()
    cache["a"], cache["b"] = 1, 2
    assert cache.get("a") == 1  # a is now the most recently used
    cache["c"] = 3  # so b goes
    assert "b" not in cache and cache.get("a") == 1 and cache.get("c") == 3


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield KeyedTable((("name", "Name"),), id="t")


async def test_a_keyed_tables_render_caches_unlink_their_lines_when_a_change_empties_them() -> None:
    app = TableApp()
    async with app.run_test() as pilot:
        table = app.query_one(KeyedTable)
        assert isinstance(table._line_cache, UnlinkingLRUCache)
        assert isinstance(table._row_render_cache, UnlinkingLRUCache)
        table.sync([TableRow(f"r{i}", "g", (i,), (Text(f"row {i}"),)) for i in range(5)])
        await pilot.pause()
        assert len(table._line_cache) > 0
        entries = list(table._line_cache._cache.values())  # [prev, next, key, line]
        table.sync([TableRow(f"r{i}", "g", (i,), (Text(f"row {i}!"),)) for i in range(5)])
        await pilot.pause()  # the next render empties the caches
        assert entries and all(entry == [] for entry in entries)  # no ring left, no line held
