"""Keep what a long-lived cockpit builds at start-up out of Python's full garbage collections.

A full (generation 2) collection walks every object the process holds, in one
step of the event loop. On 1,000 hosts (a connection, a probe shell, a report
and table rows each) one took 250-280 ms of CPU, 0.45-0.9 s of wall time on the
loaded bench machine, every sweep or two: the keys pressed meanwhile waited
for it (bench/scale_ui.py). Most of those objects live as long as the app: the
connections, the screens, the inventory. Once the first sweep is shown they
exist, and :func:`after_sweep` moves them to the permanent generation
(``gc.freeze``, after one full collection so no garbage is frozen), which
collections skip; what is built later is collected as before, and a full
collection then walks only that.

Frozen objects are never collected. An SSH connection is a cycle of objects,
so one that ends after the freeze (its host hung, was killed or lost its link)
stayed in memory for good, with its channels and tunnels: in a 12-minute soak
with a fault every 20 s, Python's blocks went 419k -> 437k and its arenas
38 -> 41 with the freeze; without it (bench/soak.py ``--no-freeze``) the blocks
stayed level (429k at the start, 416k at the end) in 40 arenas. So when connections
have ended since the last freeze, :func:`after_sweep` thaws everything,
collects once and freezes again; none of that while the fleet is healthy.

How soon is a budget: those full collections take at most :data:`REFREEZE_SHARE`
of the time. A freeze that took ``t`` seconds is followed by the next no sooner
than ``t / REFREEZE_SHARE`` seconds later, and :data:`REFREEZE_MIN` at least: on
1,000 hosts losing sshd 50 at a time a refreeze took 142-176 ms, so one came
every 14-18 s, and the keys (which wait for it) kept p95 2 ms, the slowest 146
ms (bench/scale_1000.py ``--outage``); on 50 hosts every 10 s. It was a fixed 5
minutes, and memory paid for it: each connection that ended stayed until then,
while its replacement was built beside it, and the 50-host soak's RSS stepped up
0.8-1.1 MiB at the first SSH connection killed after start-up (minute 3), where
a run without the freeze stayed level (bench/results/soak-20261128T133040.json
and -133632.json). With the budget the 30-minute soak ended at 74.1 MiB from
71.3, against 75.2 from 71.8 before (-142410.json, -053024.json); the minute-3
step fell to 0.5 MiB, not to nothing.

A freeze also has to be followed by a collection. Python starts a full
collection when the objects that reached the oldest generation since the last
one exceed a quarter of those that survived it; ``gc.freeze`` empties that
generation but leaves the count of survivors (CPython 3.11, gcmodule.c
``long_lived_total``) at the whole heap's. So after a freeze no full collection
came until a quarter of the frozen heap's worth had been promoted, and cyclic
garbage (ended connections, workers, exceptions) piled up meanwhile: with
2 million objects frozen, 300,000 that died later left ~294,000 uncollected and
no full collection ran (tests/ui/test_gc_freeze.py). The 50-host wallboard's heap
is small enough that a 4-minute soak showed no difference (71.6 -> 73.9 MiB with
it, 71.7 -> 73.8 without); the heap grows with the fleet. A collection
right after the freeze walks only what is not frozen (nothing, then) and sets
that count to it, so full collections come as Python means them to, each walking
only what came after the freeze.

Only where :func:`enable` was called (the ``cockpit`` command, benchmarks that
run the app as it does): a test process runs many apps one after another, and a
freeze there would keep earlier apps' pieces. ``gc.get_objects()`` leaves
frozen objects out (a heap walk sees what came after the last freeze).
"""

from __future__ import annotations

import gc
import time

REFREEZE_SHARE = 0.01  # of the wall time, at most, for the full collections of new freezes
REFREEZE_MIN = 10.0  # seconds between two freezes, at least


class _Policy:
    enabled = False
    frozen_at: float | None = None  # time.monotonic() of the last freeze; None: not frozen yet
    ended_at_freeze = 0  # the engine's ended connections at the last freeze
    gap = REFREEZE_MIN  # seconds from the last freeze to the next one, at least (what it cost / REFREEZE_SHARE)


_policy = _Policy()


def enable() -> None:
    """This process runs one long-lived cockpit: freeze after its first sweep."""
    _policy.enabled = True


def after_sweep(ended: int = 0) -> bool:
    """The app has shown a sweep, and ``ended`` connections of the engine's have ended so far. Freeze
    every object alive now, the first time; later, thaw, collect and freeze again when connections ended
    since the last freeze, once the time its cost buys has passed (module docstring). Whether it froze
    (only if enabled)."""
    if not _policy.enabled:
        return False
    now = time.monotonic()
    if _policy.frozen_at is not None and (
            ended <= _policy.ended_at_freeze or now - _policy.frozen_at < _policy.gap):
        return False
    gc.unfreeze()  # nothing frozen yet, the first time
    gc.collect()  # garbage is freed first, never frozen: one full collection
    gc.freeze()
    gc.collect()  # walks nothing frozen: resets the count full collections are timed by (module docstring)
    done = time.monotonic()
    _policy.frozen_at, _policy.ended_at_freeze = done, ended
    _policy.gap = max(REFREEZE_MIN, (done - now) / REFREEZE_SHARE)
    return True
