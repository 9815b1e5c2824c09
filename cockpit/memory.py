"""Give memory the process no longer uses back to the system.

A wallboard runs for days. glibc keeps the chunks it frees in its arenas, one
per thread that ever allocated (the timeline writer and the default executor's
threads among them): over a 30-minute soak its in-use bytes stayed at 14 MiB
while its free chunks grew from 2 to 10 MiB, and RSS with them (bench/soak.py).
``malloc_trim(0)`` hands free pages in every arena back to the kernel. It does
not stop every growth: in a 30-minute soak, with Python's objects flat (the
render caches that grew are bounded now: widgets/render_cache.py, KeyedTable),
glibc's free chunks still stepped up from 3.5 to 8 MiB around minute 20 and RSS
with them, which this did not return. Elsewhere than glibc it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable


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
