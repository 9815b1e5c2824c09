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

Only the start-up set, once per process, and only where :func:`enable` was
called (the ``cockpit`` command, benchmarks that run the app as it does):
garbage that a frozen object refers to is never freed, so freezing again and
again would keep every sweep's leftovers, and a test process (many apps, one
after another) would keep earlier apps' pieces. ``gc.get_objects()`` leaves
frozen objects out (a heap walk sees what came after the first sweep).
"""

from __future__ import annotations

import gc


class _Policy:
    enabled = False
    done = False


_policy = _Policy()


def enable() -> None:
    """This process runs one long-lived cockpit: freeze after its first sweep."""
    _policy.enabled = True


def after_sweep() -> bool:
    """The app has shown a sweep: freeze every object alive now, the first time (if enabled); whether it did."""
    if not _policy.enabled or _policy.done:
        return False
    _policy.done = True
    gc.collect()  # garbage is freed first, never frozen: one full collection, once
    gc.freeze()
    return True
