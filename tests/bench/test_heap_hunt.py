"""The soak's leak-hunting helpers (bench/heap_hunt.py) name what grew and who holds it: their reports
pointed at the import poll's per-nonce regex, so they are checked like the code they judge."""

from __future__ import annotations

import functools
import gc
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from heap_hunt import ContainerGrowth, NewInstances, clear_bounded_caches, holder_types
from rich.cells import cached_cell_len
from textual.cache import LRUCache


class Widgetish:
    pass


class Keeper:
    def __init__(self) -> None:
        self.kept: list[Widgetish] = []


def test_new_instances_are_counted_and_their_holder_is_named() -> None:
    keeper = Keeper()
    old = Widgetish()
    hunt = NewInstances(("Widgetish",))
    assert hunt.look(gc.get_objects()) == []  # the first look only remembers
    keeper.kept.extend(Widgetish() for _ in range(5))
    report = hunt.look(gc.get_objects())
    assert report[0] == "Widgetish: 5 born since the first look, still alive"
    assert "5 of the sampled held by list <- Keeper.kept" in report[1]
    assert old is not None


def test_a_growing_container_is_reported_with_its_owner_and_a_steady_one_is_not() -> None:
    keeper, steady = Keeper(), Keeper()
    steady.kept.append(Widgetish())
    growth = ContainerGrowth()
    assert growth.look(gc.get_objects()) == []
    keeper.kept.extend(Widgetish() for _ in range(7))
    report = growth.look(gc.get_objects(), top=50)
    mine = [line for line in report if "Keeper.kept" in line]
    assert len(mine) == 1, report  # the steady keeper's list did not grow
    assert mine[0].startswith("list 0 -> 7: Keeper.kept"), mine


def test_pymalloc_arenas_rise_with_small_objects_and_fall_when_they_go() -> None:
    from heap_hunt import pymalloc_arenas

    before = pymalloc_arenas()
    assert before is not None and before > 0
    held = [(i, str(i)) for i in range(300_000)]  # small objects: pymalloc's, ~30 MiB
    during = pymalloc_arenas()
    del held
    gc.collect()
    after = pymalloc_arenas()
    assert during is not None and after is not None
    assert during >= before + 10 and after < during


def test_clearing_empties_bounded_caches_and_leaves_unbounded_ones() -> None:
    @functools.lru_cache(maxsize=64)
    def bounded(x: int) -> int:
        return x * 2

    @functools.cache
    def unbounded(x: int) -> int:  # what a program relies on (a memo for its whole life) is left alone
        return x * 3

    lru: LRUCache[int, int] = LRUCache(16)
    for i in range(10):
        bounded(i), unbounded(i)
        lru[i] = i
    cached_cell_len("a string Rich measured")  # a module's cache, frozen out of gc.get_objects() in a cockpit
    objects = [bounded, unbounded, lru]
    assert clear_bounded_caches(objects) >= 21
    assert bounded.cache_info().currsize == 0 and len(lru) == 0
    assert cached_cell_len.cache_info().currsize == 0  # found through its module, not the objects given
    assert unbounded.cache_info().currsize == 10


def test_clearing_one_kind_leaves_the_other() -> None:
    @functools.lru_cache(maxsize=8)
    def bounded(x: int) -> int:
        return x

    lru: LRUCache[int, int] = LRUCache(8)
    bounded(1)
    lru[1] = 1
    clear_bounded_caches([bounded, lru], "textual")
    assert len(lru) == 0 and bounded.cache_info().currsize == 1
    lru[1] = 1
    clear_bounded_caches([bounded, lru], "functools")
    assert bounded.cache_info().currsize == 0 and len(lru) == 1


class Direct:
    def __init__(self) -> None:
        self.one = Widgetish()
        self.by_name = {"two": Widgetish()}


def test_holder_types_counts_every_instance_by_its_direct_holder() -> None:
    keeper, direct = Keeper(), Direct()
    keeper.kept.extend(Widgetish() for _ in range(3))
    lonely = Widgetish()  # held by this function's local variable only: no object gc tracks holds it
    held = holder_types(gc.get_objects(), ("Widgetish",))["Widgetish"]
    assert held.get("list", 0) >= 3
    assert held.get("Direct", 0) >= 1  # an attribute: Python 3.11 keeps it inline, with no dict
    assert held.get("Direct dict", 0) >= 1
    assert held.get("(no tracked holder)", 0) >= 1
    assert keeper and direct and lonely
