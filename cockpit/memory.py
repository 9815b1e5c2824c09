"""Keep a long-running cockpit's memory flat: few malloc arenas, free pages given back.

A wallboard runs for days. glibc keeps the chunks it frees in its arenas, by
default one per thread that allocates at the same time as another (up to 8 per
core: the timeline writer and the default executor's threads among them), and
a chunk freed in one arena is never reused by another.

* :func:`limit_arenas` caps them at :data:`ARENAS` for the whole process. With
  Python's objects flat (the render caches that grew are bounded:
  widgets/render_cache.py, KeyedTable), 30-minute soaks still stepped up ~4.6 MiB
  around minute 20, all of it glibc's free chunks (3.5 -> 8.1 MiB, in-use flat);
  with two arenas the free chunks stayed at 2.3-2.8 MiB and RSS flat
  (bench/soak.py under MALLOC_ARENA_MAX=2, which the operator may still set:
  the environment wins).
* :func:`give_back` (``malloc_trim(0)``, every minute) hands free pages in every
  arena back to the kernel: over a 30-minute soak the free chunks had grown from
  2 to 10 MiB before it.

Elsewhere than glibc both do nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
from collections.abc import Callable

ARENAS = 2  # malloc arenas for the whole process (glibc's default: 8 per core)
_M_ARENA_MAX = -8  # glibc's malloc.h


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc (musl, macOS)
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


def give_back() -> bool:
    """Return free heap pages to the system; whether any were (False where there is no malloc_trim)."""
    trim = _malloc_trim()
    return bool(trim(0)) if trim is not None else False


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Cap glibc's malloc arenas, before threads start (``MALLOC_ARENA_MAX`` in the environment decides
    instead when it is set). Whether the cap was set (False where there is no glibc mallopt)."""
    name = ctypes.util.find_library("c")
    if name is None or "MALLOC_ARENA_MAX" in os.environ:
        return False
    try:
        mallopt = ctypes.CDLL(name).mallopt
    except (OSError, AttributeError):  # not glibc (musl, macOS)
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(_M_ARENA_MAX, arenas))
