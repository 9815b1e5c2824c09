"""The cockpit side of ``bench/scale_1000.py``: the real CockpitApp (headless,
Textual's ``run_test``) polling a big lab fleet, with keys pressed throughout.

It times every disk sweep the app's poller runs (the first one connects to
every host), and every keypress (cursor down/up in the disk table) from the
moment the driver delivers the key until the table's cursor action has run
(not until the cursor row differs: during an outage rows move under the
cursor, and a key whose move was undone by a row moving counted as never
answered), split by
whether a sweep was in flight at the press. Prints one JSON object; its own
peak RSS is taken by the parent (wait4).

``--first-sweep-file PATH``: created once the first sweep is done, for the
outage a parent starts then (bench/scale_outage.py). Each refreeze of what
start-up froze (screens/gc_freeze.py, after connections end) is timed: the keys
wait for it.

``--first``: the cockpit's scheduling group (its session's autogroup) gets nice
-20, so the lab's hosts wait behind it as separate machines would. Without it
the cockpit is one of ~65 equal groups on these 2 cores (each host's sshd
session is an autogroup of its own), and a keypress waits for the CPU the
simulated hosts are using.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import events

from cockpit import memory
from cockpit.engine.engine import Engine
from cockpit.engine.hoststate import HostState, Reach
from cockpit.inventory import load_inventory
from screens import gc_freeze
from screens.app import CockpitApp

KEY_WAIT = 5.0  # a key not answered within this is recorded as this


def mark(path: Path) -> bool:
    path.touch()
    return True


async def main(inventory: str, sweeps: int, refresh: float, first_sweep_file: Path | None = None) -> dict[str, Any]:
    inv = load_inventory(inventory)
    inv = dataclasses.replace(inv, defaults=dataclasses.replace(inv.defaults, refresh=refresh))
    engine = Engine(inv, read_only=True)
    swept: list[float] = []
    swept_cpu: list[float] = []
    swept_up: list[int] = []  # hosts up after each sweep
    swept_connects: list[int] = []  # connections opened during each sweep (after the first: reconnects)
    first_done = asyncio.Event()
    sweep = engine.sweep_disks

    async def timed_sweep() -> dict[str, HostState]:
        start, cpu, connects = time.perf_counter(), time.process_time(), engine.pool.connects
        try:
            return await sweep()
        finally:
            swept.append(time.perf_counter() - start)
            swept_cpu.append(time.process_time() - cpu)  # the whole process meanwhile: keys and drawing too
            swept_up.append(sum(1 for h in engine.hosts.values() if h.reach is Reach.UP))
            swept_connects.append(engine.pool.connects - connects)
            first_done.set()

    engine.sweep_disks = timed_sweep  # type: ignore[method-assign]
    freezes: list[float] = []  # seconds each refreeze took (the first freeze left out)
    after_sweep = gc_freeze.after_sweep

    def timed_freeze(ended: int = 0) -> bool:
        start = time.perf_counter()
        froze = after_sweep(ended)
        if froze:
            freezes.append(time.perf_counter() - start)
        return froze

    gc_freeze.after_sweep = timed_freeze  # app.py calls it through the module
    app = CockpitApp(engine)
    gc_freeze.enable()  # as the cockpit command does (screens/launch.py)
    memory.limit_arenas()
    during: list[float] = []
    idle: list[float] = []
    connecting: list[float] = []  # keys during the first sweep, which connects to every host
    async with app.run_test(size=(200, 60)) as pilot:
        table = app.dashboard.disk_pane.table
        table.focus()
        moves = [0]  # cursor actions the table has run

        def counted(action: Callable[[], None]) -> Callable[[], None]:
            def run() -> None:
                action()
                moves[0] += 1
            return run

        table.action_cursor_down = counted(table.action_cursor_down)  # type: ignore[method-assign]
        table.action_cursor_up = counted(table.action_cursor_up)  # type: ignore[method-assign]
        driver = app._driver
        assert driver is not None
        while table.row_count < 2 and not first_done.is_set():  # rows to move over (the hosts, listed at once)
            await pilot.pause(0.05)
        i, signalled = 0, False
        while len(swept) < 1 + sweeps:
            if first_sweep_file is not None and first_done.is_set() and not signalled:
                signalled = mark(first_sweep_file)
            before, running, first = moves[0], app.disk_poller.running, not first_done.is_set()
            start = time.perf_counter()
            driver.send_message(events.Key("down" if i % 20 < 10 else "up", None))
            while moves[0] == before and time.perf_counter() - start < KEY_WAIT:  # noqa: ASYNC110
                await asyncio.sleep(0)
            (connecting if first else during if running else idle).append(time.perf_counter() - start)
            i += 1
            await asyncio.sleep(0.05)
        up = sum(1 for h in engine.hosts.values() if h.reach is Reach.UP)
        errors = sorted({(h.error or "")[:80] for h in engine.hosts.values() if h.reach is not Reach.UP})[:5]
    return {"hosts": len(engine.hosts), "up": up, "errors": errors, "first_sweep_s": swept[0],
            "sweeps_s": swept[1:], "sweeps_cpu_s": swept_cpu[1:],
            "sweeps_up": swept_up, "sweeps_connects": swept_connects,
            "keys_during_sweep_s": during, "keys_idle_s": idle, "keys_connecting_s": connecting,
            "refreezes_s": freezes[1:],
            "reconnects": sum(swept_connects[1:])}


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("inventory")
    ap.add_argument("--sweeps", type=int, default=3)
    ap.add_argument("--refresh", type=float, default=3.0)
    ap.add_argument("--first", action="store_true", help="the hosts wait behind the cockpit (autogroup nice -20)")
    ap.add_argument("--first-sweep-file", type=Path, help="created once the first sweep is done (module docstring)")
    a = ap.parse_args()
    if a.first:
        Path("/proc/self/autogroup").write_text("-20")
    print(json.dumps(asyncio.run(main(a.inventory, a.sweeps, a.refresh, a.first_sweep_file))))
