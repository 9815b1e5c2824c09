"""Fast memory check of the wallboard's UI, in minutes instead of a 30-minute soak.

The real CockpitApp in wallboard mode, headless (``App.run_test``), on 50 hosts
whose states are made here (no lab, no polling): each cycle one host gets a
fault (read-only root, filling disk, unreachable, untrusted key: its table rows
change or are swapped for a 'down' row), the next cycle it heals, and focus
moves to another pane (the Footer recomposes, as when the worst pane changes).
Every ``--every`` cycles, after a full collection, it prints the objects that
grew in the soaks (by type), Textual's per-widget style cache
(``StylesCache.get_inner_outer``), the StylesCaches no live widget owns, and the
cell renders each KeyedTable keeps. A bounded cache levels off; a leak keeps
growing: compare the last third of the run with the rest.

    .venv/bin/python bench/ui_churn.py [--cycles 150] [--every 50] [--size 200x60]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import socket
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from textual._styles_cache import StylesCache
from textual.widget import Widget

from cockpit.disk.model import DiskReport, KernelLog, MountStatus
from cockpit.engine.engine import Engine
from cockpit.engine.hoststate import HostState, Reach
from cockpit.engine.summary import summarize
from cockpit.inventory import load_inventory
from cockpit.problems.model import PANES
from cockpit.severity import Severity
from screens import wallboard
from screens.app import CockpitApp
from screens.messages import DisksSwept
from widgets.keyed_table import KeyedTable

TYPES = ("Strip", "Style", "Segment", "FIFOCache", "StylesCache", "list", "tuple", "dict")
NOW = datetime.now(UTC)


def inventory(hosts: int, directory: Path) -> Path:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nobody listens: the engine never reaches a host (it does not poll here anyway)
    (directory / "known_hosts").touch()
    text = (f'[defaults]\nconnect_timeout = 2\ncommand_timeout = 5\nrefresh = 600\n'
            f'known_hosts = "{directory / "known_hosts"}"\n')
    for i in range(hosts):
        text += f'\n[[hosts]]\nname = "web{i}"\naddress = "127.0.0.1"\nssh_port = {port}\n'
    path = directory / "inventory.toml"
    path.write_text(text)
    return path


def mount(mp: str, used: float, sev: Severity = Severity.OK, ro: bool = False) -> MountStatus:
    return MountStatus(mountpoint=mp, device="/dev/md0", fstype="ext4", read_only=ro, expected_read_only=False,
                       used_percent=used, inodes_used_percent=3.0, severity=sev,
                       reasons=("a fault",) if sev is not Severity.OK else ())


def up(name: str, *mounts: MountStatus) -> HostState:
    sev = max((m.severity for m in mounts), key=lambda s: s.rank)
    report = DiskReport(mounts=mounts, raid=(), kernel=KernelLog(readable=True, count=0, source="dmesg",
                                                                 severity=Severity.OK), errors=(), severity=sev)
    return HostState(name=name, address="198.18.0.10", role="primary", reach=Reach.UP, disk=report,
                     checked_at=NOW, disk_at=NOW)


def faulted(name: str, k: int) -> HostState:
    kind = k % 4
    if kind == 0:
        return up(name, mount("/", 41.0, Severity.CRITICAL, ro=True), mount("/srv", 55.0))
    if kind == 1:
        return up(name, mount("/", 41.0), mount("/srv", 97.0, Severity.CRITICAL))
    reach = Reach.UNREACHABLE if kind == 2 else Reach.UNTRUSTED
    return HostState(name=name, address="198.18.0.10", role="primary", reach=reach, error="a fault", checked_at=NOW)


def healthy(name: str) -> HostState:
    return up(name, mount("/", 41.0), mount("/srv", 55.0))


def look(app: CockpitApp) -> str:
    gc.collect()
    objects = gc.get_objects()
    by_type = Counter(type(o).__qualname__ for o in objects)
    owned = {id(o._styles_cache) for o in objects if isinstance(o, Widget)}
    orphans = sum(1 for o in objects if type(o) is StylesCache and id(o) not in owned)
    del objects
    renders = {t.id: len(t._cell_renders) for t in app.dashboard.query(KeyedTable)}
    return (" ".join(f"{t} {by_type[t]}" for t in TYPES)
            + f" | get_inner_outer {StylesCache.get_inner_outer.cache_info().currsize}"
            + f" orphan StylesCaches {orphans} | renders {renders}")


async def churn(args: argparse.Namespace) -> None:
    size = tuple(int(v) for v in args.size.split("x"))
    with tempfile.TemporaryDirectory(prefix="cockpit-churn-") as d:
        engine = Engine(load_inventory(inventory(args.hosts, Path(d))), read_only=True,
                        read_only_reason="--wallboard")
        await run(engine, args, (size[0], size[1]))


async def run(engine: Engine, args: argparse.Namespace, size: tuple[int, int]) -> None:
    hosts = {f"web{i}": healthy(f"web{i}") for i in range(args.hosts)}
    engine.hosts.clear()
    engine.hosts.update(hosts)
    wallboard.CYCLE_SECONDS = 3600.0  # the cycles below turn the wheel
    app = CockpitApp(engine, poll=False, wallboard=True)
    async with app.run_test(size=size) as pilot:
        for k in range(args.cycles + 1):
            name = f"web{(k // 2) % args.hosts}"
            hosts[name] = faulted(name, k // 2) if k % 2 == 0 else healthy(name)
            engine.hosts.update(hosts)
            app.post_message(DisksSwept(dict(hosts), summarize(hosts.values()), NOW))
            await pilot.pause()
            screen = app.dashboard
            assert isinstance(screen, wallboard.WallboardScreen)
            screen.refresh_problems()
            screen.focus_pane(PANES[k % len(PANES)])
            await pilot.pause()
            await pilot.pause()
            if k % args.every == 0:
                print(f"cycle {k:4}: {look(app)}", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cycles", type=int, default=150)
    ap.add_argument("--every", type=int, default=50)
    ap.add_argument("--hosts", type=int, default=50)
    ap.add_argument("--size", default="200x60", help="terminal columns x rows (the soak's pty is 200x60)")
    asyncio.run(churn(ap.parse_args()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
