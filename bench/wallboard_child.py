"""The process the soak and idle-CPU benches watch: a real cockpit wallboard
(``CockpitApp(wallboard=True)``, as ``cockpit --wallboard`` builds it) on a
real pty, or a baseline in the same pty.

    wallboard_child.py --inventory INV [--mode wallboard|no-poll|plain] [--tracemalloc DIR] [--heap]

Modes: ``wallboard`` (the real thing, every poller on), ``no-poll`` (the same
wallboard, no sweeps: what rendering and timers cost alone), ``plain`` (an idle
Textual app with a header and a footer: the floor).

It reports to the file descriptor named by $COCKPIT_BENCH_FD, one JSON line per
completed disk sweep (``{"sweeps": N, "failed": F}``). With ``--tracemalloc``,
it writes a snapshot there every 60 s (``snap-K.pickle``) for the bench to diff.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import gc
import json
import os
import sys
import threading
import tracemalloc
from collections import Counter
from pathlib import Path
from typing import Any, ClassVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from heap_hunt import (
    ContainerGrowth,
    NewInstances,
    cache_fill,
    clear_bounded_caches,
    holder_types,
    pymalloc_arenas,
)
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.pilot import Pilot
from textual.widgets import Footer, Header, Static

from cockpit import memory
from cockpit.engine.engine import Engine
from cockpit.inventory import load_inventory
from screens import gc_freeze
from screens.app import CockpitApp
from widgets.keyed_table import KeyedTable


class Reporter:
    def __init__(self) -> None:
        fd = os.environ.get("COCKPIT_BENCH_FD")
        self._out = os.fdopen(int(fd), "w", buffering=1) if fd else None
        self.sweeps = self.failed = 0
        self.trace_dir: Path | None = None  # tracemalloc snapshots: snap-0 at the soak's start (sweep 3)
        self.with_heap = False  # heap figures every minute, and at the soak's start
        self.app: CockpitApp | None = None  # its pollers' runs go with the heap figures
        self.watching: asyncio.Task[None] | None = None  # watch_steps, when the soak asked for it

    def send(self, **data: Any) -> None:
        if self._out is not None:
            self._out.write(json.dumps(data) + "\n")


class PlainApp(App[int]):
    BINDINGS: ClassVar[list[BindingType]] = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header(show_clock=True)
        yield Static("idle")
        yield Footer()


START_SWEEPS = 3  # bench/soak.py starts its clock after this many sweeps


def counted(engine: Engine, rep: Reporter) -> None:
    """Count the engine's completed disk sweeps (the wallboard's own path is untouched)."""
    sweep = engine.sweep_disks

    async def sweep_and_count() -> Any:
        try:
            hosts = await sweep()
        except BaseException:
            rep.failed += 1
            rep.send(sweeps=rep.sweeps, failed=rep.failed)
            raise
        rep.sweeps += 1
        start = rep.sweeps == START_SWEEPS  # the soak's RSS at start is taken now
        if start and rep.trace_dir is not None:
            tracemalloc.take_snapshot().dump(str(rep.trace_dir / "snap-0.pickle"))
        rep.send(sweeps=rep.sweeps, failed=rep.failed, **({"heap": heap(rep.app)} if start and rep.with_heap else {}))
        return hosts

    engine.sweep_disks = sweep_and_count  # type: ignore[method-assign]


GROWTH = ContainerGrowth()
NEWBORN = NewInstances(("Text", "Style", "Fraction", "Pattern"))


class MallInfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks",
                                                 "fsmblks", "uordblks", "fordblks", "keepcost")]


def poll_runs(app: CockpitApp) -> dict[str, int]:
    """Finished runs of each pane's poll: a pane whose first poll has not finished is still empty."""
    return {p.name: p.runs for p in (app.disk_poller, app.sites_feed.poller, app.transfers_feed.poller,
                                      app.dns_feed.poller)}


def table_rows(app: CockpitApp) -> dict[str, int]:
    """Rows in each keyed table of every screen: a table whose rows keep rising holds the growth, not a cache."""
    out: dict[str, int] = {}
    for screen in app.screen_stack:
        for t in screen.query(KeyedTable):
            out[f"{type(screen).__name__}/{t.id}"] = t.row_count
    return out


MODULES_SEEN: set[str] = set()  # modules already reported: each heap figure names the ones imported since


def heap(app: CockpitApp | None) -> dict[str, Any]:
    """Where the memory is: Python's own blocks and objects (the commonest types), glibc malloc's heap;
    and how far the panes' polls are."""
    if os.environ.get("COCKPIT_BENCH_GC"):  # count what is still reachable, not garbage awaiting a collection
        gc.collect()
    objects = gc.get_objects()
    if os.environ.get("COCKPIT_BENCH_CLEAR_CACHES"):  # how much of the RSS the bounded caches hold
        clear_bounded_caches(objects, os.environ["COCKPIT_BENCH_CLEAR_CACHES"])
        del objects
        gc.collect()
        memory.give_back()
        objects = gc.get_objects()
    types = Counter(type(o).__qualname__ for o in objects)
    modules = set(sys.modules)
    imported = sorted(modules - MODULES_SEEN) if MODULES_SEEN else []  # the first figures: the start
    MODULES_SEEN.update(modules)
    out: dict[str, Any] = {"py_blocks": sys.getallocatedblocks(), "py_arenas": pymalloc_arenas(),
                           "modules": len(modules), "imported": imported,
                           "gc_objects": len(objects),
                           "threads": threading.active_count(), "types": dict(types), "caches": cache_fill(objects),
                           "polls": poll_runs(app) if app is not None else {},
                           "rows": table_rows(app) if app is not None else {}}
    if os.environ.get("COCKPIT_BENCH_HOLDERS"):  # who holds every instance of these types
        out["holders"] = holder_types(objects, tuple(os.environ["COCKPIT_BENCH_HOLDERS"].split(",")))
    if os.environ.get("COCKPIT_BENCH_HUNT"):  # which containers grow, and who holds them (slow)
        out["grown"] = GROWTH.look(objects)
        out["newborn"] = NEWBORN.look(objects)
    del objects
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = MallInfo2
        mi = libc.mallinfo2()
        out |= {"malloc_used": mi.uordblks, "malloc_free": mi.fordblks, "malloc_mmap": mi.hblkhd}
    if tracemalloc.is_tracing():
        out["traced"] = tracemalloc.get_traced_memory()[0]
    return out


async def every_minute(rep: Reporter) -> None:
    k = 1  # snap-0: the start (counted)
    while True:
        await asyncio.sleep(60.0)
        if rep.with_heap:
            rep.send(sweeps=rep.sweeps, failed=rep.failed, heap=heap(rep.app))
        if rep.trace_dir is not None:
            tracemalloc.take_snapshot().dump(str(rep.trace_dir / f"snap-{k}.pickle"))
        k += 1


def rss_anon_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("RssAnon:"):
            return int(line.split()[1])
    return 0


async def watch_steps(rep: Reporter, step_kib: int) -> None:
    """``soak.py --steps``: four times a second, when the heap's RSS moved ``step_kib`` since the last
    report, send what was going on (the workers running, the focused widget, Python's blocks)."""
    last = rss_anon_kib()
    types = Counter(type(o).__qualname__ for o in gc.get_objects())
    while True:
        await asyncio.sleep(0.25)
        now = rss_anon_kib()
        if abs(now - last) < step_kib:
            continue
        app = rep.app
        workers = sorted(w.name or w.description for w in app.workers if w.is_running) if app else []
        focused = app.focused if app else None
        now_types = Counter(type(o).__qualname__ for o in gc.get_objects())
        grown = sorted(((n - types.get(k, 0), k) for k, n in now_types.items()), reverse=True)[:6]
        types = now_types
        rep.send(sweeps=rep.sweeps, failed=rep.failed,
                 step={"sweep": rep.sweeps, "anon_kib": now, "diff_kib": now - last, "blocks": sys.getallocatedblocks(),
                       "workers": workers, "screen": type(app.screen).__name__ if app else "",
                       "focused": (focused.id or type(focused).__name__) if focused else None,
                       "grown": " ".join(f"{k}{d:+d}" for d, k in grown if d > 0)})
        last = now


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--inventory", required=True)
    ap.add_argument("--mode", choices=("wallboard", "no-poll", "plain"), default="wallboard")
    ap.add_argument("--tracemalloc", metavar="DIR")
    ap.add_argument("--heap", action="store_true", help="report heap figures every minute (costs CPU)")
    args = ap.parse_args()
    memory.limit_arenas()  # as the cockpit command does (screens/launch.py)
    if not os.environ.get("COCKPIT_BENCH_NO_FREEZE"):  # soak.py --no-freeze: an experiment
        gc_freeze.enable()  # as the cockpit command does: what start-up built leaves the full collections
    rep = Reporter()
    rep.with_heap = args.heap
    app: App[int]
    if args.mode == "plain":
        app = PlainApp()
    else:
        engine = Engine(load_inventory(Path(args.inventory)), read_only=True, read_only_reason="--wallboard")
        counted(engine, rep)
        app = rep.app = CockpitApp(engine, poll=args.mode == "wallboard", wallboard=True)
    if args.tracemalloc:
        tracemalloc.start(6)
        rep.trace_dir = Path(args.tracemalloc)

    async def reporting_pilot(pilot: Pilot[int]) -> None:  # runs inside the app's loop
        if step := os.environ.get("COCKPIT_BENCH_STEPS"):
            rep.watching = asyncio.create_task(watch_steps(rep, int(step)))  # held: a task nobody holds may go
        await every_minute(rep)

    app.run(auto_pilot=reporting_pilot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
