"""The process the soak and idle-CPU benches watch: a real cockpit wallboard
(``CockpitApp(wallboard=True)``, as ``cockpit --wallboard`` builds it) on a
real pty, or a baseline in the same pty.

    wallboard_child.py --inventory INV [--mode wallboard|no-poll|plain] [--tracemalloc DIR]

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
import json
import os
import sys
import tracemalloc
from pathlib import Path
from typing import Any, ClassVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.pilot import Pilot
from textual.widgets import Footer, Header, Static

from cockpit.engine.engine import Engine
from cockpit.inventory import load_inventory
from screens.app import CockpitApp


class Reporter:
    def __init__(self) -> None:
        fd = os.environ.get("COCKPIT_BENCH_FD")
        self._out = os.fdopen(int(fd), "w", buffering=1) if fd else None
        self.sweeps = self.failed = 0

    def send(self, **data: Any) -> None:
        if self._out is not None:
            self._out.write(json.dumps(data) + "\n")


class PlainApp(App[int]):
    BINDINGS: ClassVar[list[BindingType]] = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header(show_clock=True)
        yield Static("idle")
        yield Footer()


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
        rep.send(sweeps=rep.sweeps, failed=rep.failed)
        return hosts

    engine.sweep_disks = sweep_and_count  # type: ignore[method-assign]


async def snapshots(directory: Path, every: float) -> None:
    k = 0
    while True:
        await asyncio.sleep(every)
        tracemalloc.take_snapshot().dump(str(directory / f"snap-{k}.pickle"))
        k += 1


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--inventory", required=True)
    ap.add_argument("--mode", choices=("wallboard", "no-poll", "plain"), default="wallboard")
    ap.add_argument("--tracemalloc", metavar="DIR")
    args = ap.parse_args()
    rep = Reporter()
    app: App[int]
    if args.mode == "plain":
        app = PlainApp()
    else:
        engine = Engine(load_inventory(Path(args.inventory)), read_only=True, read_only_reason="--wallboard")
        counted(engine, rep)
        app = CockpitApp(engine, poll=args.mode == "wallboard", wallboard=True)
    if not args.tracemalloc:
        app.run()
        return 0
    tracemalloc.start(6)
    directory = Path(args.tracemalloc)

    async def snapshot_pilot(pilot: Pilot[int]) -> None:  # runs inside the app's loop
        await snapshots(directory, 60.0)

    app.run(auto_pilot=snapshot_pilot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
