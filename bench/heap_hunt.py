"""Leak hunting inside the wallboard child (``COCKPIT_BENCH_HUNT=1``): which
containers (dicts, lists, sets, deques) grew the most since the first look,
and who holds them.

The first call remembers the length of every container the garbage collector
tracks (by id, with its type: a few MB, once); each later call reports the
containers still alive that grew the most since, each with the chain of its
holders (``Footer._nodes <- list <- Screen.__dict__ ...``). A bounded cache
that is full shows up once and stops growing; a leak keeps growing.

Loops here are plain ``for`` loops on purpose: a comprehension would hold the
object being described in a closure cell, and the cell would show up as its holder.
"""

from __future__ import annotations

import functools
import gc
import os
import sys
import types
from collections import OrderedDict, deque
from typing import Any

from widgets.render_cache import bounded_function_caches

CONTAINERS = (dict, list, set, deque, OrderedDict)
NEW_BIG = 100  # a container that did not exist at the first look is reported from this length


def _name(obj: object) -> str:
    if isinstance(obj, types.CoroutineType):
        frame = obj.cr_frame
        where = f" at {frame.f_code.co_filename.rsplit('/', 1)[-1]}:{frame.f_lineno}" if frame else ""
        return f"coroutine {obj.__qualname__}{where}"
    if isinstance(obj, types.FunctionType | types.BuiltinFunctionType):
        return f"{type(obj).__name__} {obj.__qualname__}"
    wrapped = getattr(obj, "__wrapped__", None)  # functools.lru_cache and friends
    if wrapped is not None and hasattr(wrapped, "__qualname__"):
        return f"{type(obj).__name__}({wrapped.__qualname__})"
    return type(obj).__qualname__


def _holders(obj: object, skip: set[int]) -> list[object]:
    out = []
    for r in gc.get_referrers(obj):
        if id(r) in skip or isinstance(r, types.FrameType):
            continue
        out.append(r)
    return out


def _key_of(d: dict[Any, Any], held: object) -> str:
    for k, v in d.items():
        if v is held:
            return str(k)[:40]
        if k is held:
            return "<key>"
    return "?"


def _attr_of(holder: object, held: object) -> str:
    d = getattr(holder, "__dict__", None)
    return f".{_key_of(d, held)}" if isinstance(d, dict) else ""


def chain(obj: object, skip: set[int], depth: int = 6) -> str:
    """``obj``'s holders, ``depth`` levels up: ``Type.attr`` for an instance's attribute."""
    parts = []
    cur = obj
    skip = skip | {id(sys._getframe())}
    for _ in range(depth):
        refs = _holders(cur, skip)
        if not refs:
            parts.append("(nothing)")
            break
        holder = refs[0]
        for r in refs:
            if not isinstance(r, dict):
                holder = r
                break
        del refs  # it holds the holder: the next level up would name this list
        if isinstance(holder, dict):
            key = _key_of(holder, cur)
            owner = None
            owners = _holders(holder, skip)
            for o in owners:
                if getattr(o, "__dict__", None) is holder:
                    owner = o
                    break
            del owners
            if owner is not None:
                parts.append(f"{_name(owner)}.{key}")
                cur = owner
                continue
            parts.append(f"dict[{key}]")
        else:
            parts.append(_name(holder) + _attr_of(holder, cur))
        cur = holder
    return " <- ".join(parts)


class ContainerGrowth:
    def __init__(self) -> None:
        self._base: dict[int, tuple[type, int]] | None = None

    def look(self, objects: list[Any], top: int = 10) -> list[str]:
        """The ``top`` containers that grew most since the first look (empty on the first look)."""
        if self._base is None:
            base: dict[int, tuple[type, int]] = {}
            for o in objects:
                if type(o) in CONTAINERS:
                    base[id(o)] = (type(o), len(o))
            self._base = base
            return []
        grown: list[tuple[int, int, object]] = []
        for o in objects:
            if o is self._base:
                continue
            was = self._base.get(id(o))
            if was is not None and was[0] is type(o):
                if len(o) > was[1]:
                    grown.append((len(o) - was[1], was[1], o))
            elif type(o) in CONTAINERS and len(o) >= NEW_BIG:  # new since (or untracked then: empty dicts)
                grown.append((len(o), 0, o))
        grown.sort(key=lambda g: g[0], reverse=True)
        picked = grown[:top]
        skip = {id(objects), id(grown), id(picked), id(self._base)}
        for g in picked:
            skip.add(id(g))
        out = []
        for diff, was, o in picked:
            out.append(f"{type(o).__name__} {was} -> {was + diff}: {chain(o, skip)}")
        del grown, picked
        return out


def module_lru_caches() -> list[Any]:
    """Every bounded functools LRU in a module's globals or on its classes (the cockpit's own lookup,
    widgets/render_cache.py, over every module). The ones made at import are frozen out of
    ``gc.get_objects()`` once the cockpit freezes its start-up objects (screens/gc_freeze.py)."""
    return bounded_function_caches(libraries=None)


def _lru_caches(objects: list[Any]) -> list[Any]:
    found = {id(o): o for o in objects if isinstance(o, functools._lru_cache_wrapper)}
    found.update((id(c), c) for c in module_lru_caches())
    return list(found.values())


def cache_fill(objects: list[Any]) -> dict[str, Any]:
    """How full the bounded caches are: every functools LRU (by function, when it holds 100+ entries)
    and Textual's LRU/FIFO caches (summed). Full caches stop growing; filling ones still grow."""
    from textual.cache import FIFOCache, LRUCache

    lru: dict[str, list[int]] = {}
    textual_entries = textual_max = 0
    for c in _lru_caches(objects):
        info = c.cache_info()
        if info.maxsize and info.currsize >= 100:
            lru[_name(c)] = [info.currsize, info.maxsize]
    for o in objects:
        if isinstance(o, LRUCache | FIFOCache):
            textual_entries += len(o)
            textual_max += o._maxsize
    return {"functools": lru, "textual_entries": textual_entries, "textual_max": textual_max}


def clear_bounded_caches(objects: list[Any], which: str = "all") -> int:
    """Empty every bounded functools LRU and Textual LRU/FIFO cache (``soak.py --clear-caches``: how much of
    the RSS they hold, an experiment, not what a cockpit does). ``which``: "all", "functools" or "textual".
    Returns the entries dropped."""
    from textual.cache import FIFOCache, LRUCache

    dropped = 0
    for c in _lru_caches(objects) if which in ("all", "functools") else ():
        info = c.cache_info()
        if info.maxsize:
            dropped += info.currsize
            c.cache_clear()
    for o in objects if which in ("all", "textual") else ():
        if isinstance(o, LRUCache | FIFOCache):
            dropped += len(o)
            o.clear()
    return dropped


class NewInstances:
    """Instances of the named types (``Text``, ``Style``...) born since the first look and still alive,
    grouped by who holds them: a type whose count rises shows where its new objects are kept."""

    def __init__(self, type_names: tuple[str, ...]) -> None:
        self.type_names = type_names
        self._base: frozenset[int] | None = None  # not a set: the container hunt would report it

    def look(self, objects: list[Any], top: int = 3, sample: int = 100) -> list[str]:
        """Per type: how many were born since the first look, and the ``top`` commonest holder chains
        of up to ``sample`` of them (empty on the first look)."""
        if self._base is None:
            base = []
            for o in objects:
                if type(o).__qualname__ in self.type_names:
                    base.append(id(o))
            self._base = frozenset(base)
            return []
        born: dict[str, list[object]] = {name: [] for name in self.type_names}  # one pass over the heap
        for o in objects:
            name = type(o).__qualname__
            if name in born and id(o) not in self._base:
                born[name].append(o)
        out: list[str] = []
        for name in self.type_names:
            new = born.pop(name)
            total = len(new)
            picked = new[:: max(1, total // sample)][:sample]
            del new
            skip = {id(objects), id(picked), id(self._base), id(out), id(born)}
            chains: dict[str, int] = {}
            for o in picked:
                where = chain(o, skip, depth=5)
                chains[where] = chains.get(where, 0) + 1
            del picked
            out.append(f"{name}: {total} born since the first look, still alive")
            for where, n in sorted(chains.items(), key=lambda kv: -kv[1])[:top]:
                out.append(f"  {n:3d} of the sampled held by {where}")
        return out


def pymalloc_arenas() -> int | None:
    """Python's small-object arenas in use (1 MiB each on 3.11; ``sys._debugmallocstats``), or None.

    An arena goes back to the system only when every object in it is gone, so arenas that rise while
    the objects do not are fragmentation, not a leak. The statistics are printed on the C stderr,
    which is pointed at a file for the call."""
    import re
    import tempfile

    with tempfile.TemporaryFile() as f:
        saved = os.dup(2)
        try:
            os.dup2(f.fileno(), 2)
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
        f.seek(0)
        text = f.read().decode("ascii", "replace")
    m = re.search(r"# arenas allocated current\s*=\s*([\d,]+)", text)
    return int(m.group(1).replace(",", "")) if m else None


def holder_types(objects: list[Any], type_names: tuple[str, ...]) -> dict[str, dict[str, int]]:
    """Per named type: how many of its instances each kind of direct holder holds, in two passes over the
    heap (no sampling): an attribute counts for its object's type, a dict held by an object as ``Owner
    dict``; ``(no tracked holder)`` for the rest (held by frozen or untracked objects). A kind of holder whose
    count rises is where the growth is kept. Never reads ``__dict__``: that would build the dicts Python
    keeps inline, and change the heap it measures."""
    wanted: dict[int, str] = {}
    owners: dict[int, str] = {}
    for o in objects:
        name = type(o).__qualname__
        if name in type_names:
            wanted[id(o)] = name
        if type(o) is not dict:
            for r in gc.get_referents(o):
                if type(r) is dict:
                    owners.setdefault(id(r), name)
    out: dict[str, dict[str, int]] = {n: {} for n in type_names}
    held: set[int] = set()
    for o in objects:
        for r in gc.get_referents(o):
            name = wanted.get(id(r))
            if name is None:
                continue
            held.add(id(r))
            owner = owners.get(id(o)) if type(o) is dict else None
            where = f"{owner} dict" if owner else type(o).__qualname__
            out[name][where] = out[name].get(where, 0) + 1
    for i, name in wanted.items():
        if i not in held:
            out[name]["(no tracked holder)"] = out[name].get("(no tracked holder)", 0) + 1
    return out
