"""Benchmark: how fast the UI answers a keypress while 50 imports report progress.

A headless CockpitApp (``run_test``) shows the transfers pane; a task posts the
state of 50 running imports every ``--every`` seconds (far more often than
the real 2 s poll), each time with every import's bytes, files, rate and ETA
changed. Each keypress (cursor down/up in the pane) is timed from the moment
the driver delivers the key event until the cursor has moved. The same keypresses with no updates flowing are
the baseline, measured in the same run. Prints p50/p95 of both, their ratio,
and peak RSS.

Target (issue #5): a keypress answered in under 100 ms at p95.

    .venv/bin/python bench/transfers_ui_latency.py [--imports 50] [--presses 200] [--every 0.05]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import resource
import statistics
import time
from pathlib import Path

from benchenv import save, scratch_inventory
from textual import events

from cockpit.engine.engine import Engine
from cockpit.inventory import load_inventory
from cockpit.transfers.model import ImportStatus, TransferState
from screens.app import CockpitApp
from screens.transfers_feed import TransfersPolled
from widgets.keyed_table import KeyedTable
from widgets.transfers_pane import TransfersPane

MiB = 1024 * 1024


def imports(n: int, tick: int) -> list[ImportStatus]:
    out = []
    for i in range(n):
        done = (tick * 3 + i) % 200 * MiB
        out.append(ImportStatus(key=f"site{i:03d}@standby1", site=f"site{i:03d}", source=f"backup1:/b/site{i:03d}",
                                destination=f"standby1:/storage/site{i:03d}", destination_host="standby1",
                                state=TransferState.RUNNING, run=f"r{i}", bytes_done=done, bytes_total=200 * MiB,
                                files_done=(tick + i) % 2000, files_total=2000, rate_bps=(10 + tick % 7) * MiB,
                                eta_seconds=(200 * MiB - done) // (10 * MiB)))
    return out


INVENTORY = ('[defaults]\nrefresh = 600\nknown_hosts = "{dir}/known_hosts"\n'
             '[[hosts]]\nname = "standby1"\naddress = "127.0.0.1"\nssh_port = 1\n')


async def measure(n: int, presses: int, every: float | None) -> list[float]:
    with scratch_inventory("cockpit-bench-ui-", INVENTORY) as inventory:
        return await _measure(inventory, n, presses, every)


async def _measure(inventory: Path, n: int, presses: int, every: float | None) -> list[float]:
    app = CockpitApp(Engine(load_inventory(inventory)), poll=False)
    latencies: list[float] = []
    async with app.run_test(size=(200, 60)) as pilot:
        app.post_message(TransfersPolled(imports(n, 0), None))
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        table = app.dashboard.query_one(TransfersPane).query_one("#transfers-table", KeyedTable)
        table.focus()
        await pilot.pause()
        driver = app._driver
        assert driver is not None

        async def progress() -> None:
            tick = 0
            while True:
                tick += 1
                app.post_message(TransfersPolled(imports(n, tick), None))
                await asyncio.sleep(every or 1)

        feeder = asyncio.create_task(progress()) if every else None
        try:
            for i in range(presses):
                key, want = ("down", table.cursor_row + 1) if i % 20 < 10 else ("up", table.cursor_row - 1)
                start = time.perf_counter()
                # the key goes in as the terminal driver delivers it (Pilot.press would also wait for an idle CPU)
                driver.send_message(events.Key(key, None))
                while table.cursor_row != want:  # noqa: ASYNC110 - polling the widget is the measurement
                    await asyncio.sleep(0)
                latencies.append(time.perf_counter() - start)
                await asyncio.sleep(0.005)
        finally:
            if feeder is not None:
                feeder.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await feeder
    return latencies


def pct(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100)[int(p) - 1] * 1000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--imports", type=int, default=50)
    ap.add_argument("--presses", type=int, default=200)
    ap.add_argument("--every", type=float, default=0.05,
                    help="seconds between progress messages (the real poll: 2 s; the default overloads the UI)")
    args = ap.parse_args()
    quiet = asyncio.run(measure(args.imports, args.presses, None))
    busy = asyncio.run(measure(args.imports, args.presses, args.every))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"keypress latency, {args.imports} imports shown, {args.presses} presses each:")
    print(f"  no progress flowing (baseline): p50 {pct(quiet, 50):.1f} ms, p95 {pct(quiet, 95):.1f} ms")
    print(f"  progress every {args.every * 1000:.0f} ms:         p50 {pct(busy, 50):.1f} ms, "
          f"p95 {pct(busy, 95):.1f} ms")
    print(f"ratio p95 busy / baseline: {pct(busy, 95) / pct(quiet, 95):.2f}x (target: p95 under 100 ms)")
    print(f"peak RSS: {rss / 1024:.1f} MiB")
    saved = save("transfers-ui", {
        "imports": args.imports, "presses": args.presses, "every_s": args.every,
        "load_average": os.getloadavg()[0], "target_p95_ms": 100,
        "p50_ms": {"baseline": round(pct(quiet, 50), 2), "busy": round(pct(busy, 50), 2)},
        "p95_ms": {"baseline": round(pct(quiet, 95), 2), "busy": round(pct(busy, 95), 2)},
        "ratio_p95": round(pct(busy, 95) / pct(quiet, 95), 2), "peak_rss_mib": round(rss / 1024, 1),
    })
    print(f"saved {saved}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
