"""Fault drills (issue #8) against ONE real cockpit on the session lab.

Each drill: inject a real lab fault; wait until the affected pane shows the
right state (bounded poll); see another pane keep getting new state; press a
key and see the UI answer; ``lab heal``; wait until the same app shows the
recovery. The app is never restarted between drills. The table of drills and
results is printed at the end of the run (tests/drill_report.py). The drills
that kill the cockpit or race two of them run the TUI as a real process:
test_process_drills.py next to this module.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import asyncssh
import pytest
import pytest_asyncio
import transfer_drills
from drillkit import Drill, drill_inventory
from textual.coordinate import Coordinate

from cockpit.audit.log import read_records
from cockpit.engine import hostkey
from cockpit.engine.engine import Engine
from cockpit.engine.gate import ReadOnlyRefused
from cockpit.inventory import load_inventory
from cockpit.lab import Lab
from cockpit.paths import audit_path
from cockpit.transport import hostkeys
from cockpit.transport.errors import HostDown, ProbeError
from screens.app import CockpitApp
from screens.host_detail import HostDetailScreen
from screens.host_key_confirm import HostKeyConfirmScreen
from widgets.disk_pane import DiskPane

pytestmark = [pytest.mark.lab, pytest.mark.asyncio(loop_scope="module")]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def cockpit(lab: Lab, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Drill]:
    await asyncio.to_thread(lab.heal)
    inventory = drill_inventory(lab, tmp_path_factory.mktemp("drills"))
    app = CockpitApp(Engine(load_inventory(inventory)))
    async with app.run_test(size=(160, 50)) as pilot:
        d = Drill(app, pilot, lab)
        hosts = [h.name for h in app.engine.inventory.hosts]
        await d.until(lambda: all(d.host_up(h) for h in hosts), "every host up", pane="disks")
        await d.until(lambda: d.site_shows("acme", "OK") and d.site_shows("initech", "OK"), "tables checked",
                      pane="sites")
        yield d
    await asyncio.to_thread(lab.heal)


async def simple(d: Drill, host: str, fault: tuple[str, ...], shows: Callable[[], bool], pane: str,
                 other: str, recovered: Callable[[], bool]) -> None:
    await d.fault(host, *fault)
    try:
        await d.until(shows, f"the {pane} pane to show {fault[0]} on {host}", pane=pane)
        await d.keeps_updating(other)
        await d.answers_keys()
    finally:
        await d.heal(host)
    await d.until(recovered, f"the {pane} pane to show {host} recovered", pane=pane)


# -- sshd ----------------------------------------------------------------------------------------
async def ssh_hung(d: Drill) -> None:
    await simple(d, "web2", ("hang-ssh",), lambda: d.host_shows("web2", "UNREACHABLE"), "disks", "dns",
                 lambda: d.host_up("web2"))


async def ssh_killed(d: Drill) -> None:
    await simple(d, "web1", ("kill-ssh",), lambda: d.host_shows("web1", "UNREACHABLE"), "disks", "dns",
                 lambda: d.host_up("web1"))


async def link_down_mid_command(d: Drill) -> None:
    running = asyncio.ensure_future(d.app.engine.pool.run("standby1", "sleep 60; echo finished", timeout=90))
    await d.pilot.pause(0.5)
    await d.fault("standby1", "link-down")
    try:
        await d.until(running.done, "the command cut by the link to end (not to hang)")
        assert isinstance(running.exception(), ProbeError | HostDown), running.exception()
        await d.until(lambda: d.host_shows("standby1", "UNREACHABLE"), "standby1 unreachable", pane="disks")
        await d.keeps_updating("dns")
        await d.answers_keys()
    finally:
        running.cancel()
        await d.heal("standby1")
    await d.until(lambda: d.host_up("standby1"), "standby1 back", pane="disks")


async def _server_key(d: Drill, host: str) -> str:
    address = d.app.engine.inventory.host(host).address
    key = await asyncssh.get_server_host_key(address, 22, config=())
    return hostkeys.fingerprint(key) or ""


async def _accept_shown_key(d: Drill, host: str, expect: str) -> None:
    """As the operator: Enter on the host's row, the accept key, read, Accept."""
    app = d.app
    await d.pilot.press(app.keys["pane_disks"])
    table = app.dashboard.query_one(DiskPane).table
    row = next(i for i in range(table.row_count)  # the row as displayed (sorted: the worst first)
               if str(table.coordinate_to_cell_key(Coordinate(i, 0)).row_key.value).startswith(f"{host}\0"))
    table.move_cursor(row=row, animate=False)
    table.focus()
    await d.pilot.press("enter")
    await d.until(lambda: isinstance(app.screen, HostDetailScreen), f"{host}'s detail to open")
    assert isinstance(app.screen, HostDetailScreen) and app.screen.host == host
    await d.pilot.press(app.keys["accept_host_key"])
    await d.until(lambda: isinstance(app.screen, HostKeyConfirmScreen), "the host key confirm screen")
    confirm = app.screen
    assert isinstance(confirm, HostKeyConfirmScreen)
    assert confirm.offer.fingerprint == expect  # the key the host presents, as the lab knows it
    await d.until(lambda: app.focused is not None and app.focused.id == "hostkey-cancel", "Cancel focused")
    shown = str(confirm.query_one("#hostkey-offer").render())
    assert expect in shown
    await d.pilot.press("enter")  # Enter on Cancel: nothing accepted
    await d.until(lambda: isinstance(app.screen, HostDetailScreen), "cancel to close the confirm")
    assert app.engine.hosts[host].reach == "untrusted"
    await d.pilot.press(app.keys["accept_host_key"])
    await d.until(lambda: isinstance(app.screen, HostKeyConfirmScreen), "the confirm screen again")
    await d.pilot.press("tab")  # from Cancel to Accept
    await d.until(lambda: app.focused is not None and app.focused.id == "hostkey-accept", "tab to Accept")
    await d.pilot.press("enter")
    await d.until(lambda: app.engine.hosts[host].reach == "up", f"{host} up with the accepted key")
    await d.pilot.press("escape")
    await d.until(lambda: d.host_up(host), f"the disks pane to show {host} up", pane="disks")


def _read(path: Path) -> bytes:
    return path.read_bytes()


async def ssh_new_host_key(d: Drill) -> None:
    engine = d.app.engine
    kh = Path(engine.inventory.host("web2").known_hosts or "")
    before = _read(kh)
    await d.fault("web2", "new-host-key")
    try:
        await d.until(lambda: d.host_shows("web2", "UNTRUSTED"), "web2 untrusted", pane="disks")
        await d.until(lambda: d.site_shows("initech", "UNREACHABLE"), "nothing runs on web2 (its tables)",
                      pane="sites")
        await d.keeps_updating("dns")
        await d.answers_keys()
        assert _read(kh) == before  # never accepted silently
        with pytest.raises(ReadOnlyRefused):  # a read-only cockpit cannot even be offered the key
            await hostkey.offer(Engine(engine.inventory, read_only=True), "web2")
        new = await _server_key(d, "web2")
        await _accept_shown_key(d, "web2", new)
        accepted = [r for r in read_records(audit_path(engine.inventory)) if r["kind"] == "host-key-accepted"]
        assert accepted and accepted[-1]["host"] == "web2" and accepted[-1]["fingerprint"] == new
    finally:
        await d.heal("web2")
    # healed: the old key is back, which is a change again; the operator accepts it the same way
    await d.until(lambda: d.host_shows("web2", "UNTRUSTED"), "web2 untrusted after heal", pane="disks")
    await _accept_shown_key(d, "web2", await _server_key(d, "web2"))
    await d.until(lambda: d.site_shows("initech", "OK"), "initech's tables checked again", pane="sites")


# -- MariaDB ----------------------------------------------------------------------------------------
async def mysql_hung(d: Drill) -> None:
    await simple(d, "web1", ("hang-mysql",), lambda: d.site_shows("acme", "UNREACHABLE"), "sites", "disks",
                 lambda: d.site_shows("acme", "OK") and d.site_shows("globex", "OK"))


async def mysql_killed(d: Drill) -> None:
    await simple(d, "web1", ("kill-mysql",), lambda: d.site_shows("globex", "UNREACHABLE"), "sites", "disks",
                 lambda: d.site_shows("acme", "OK") and d.site_shows("globex", "OK"))


# -- DNS ------------------------------------------------------------------------------------------------
async def ns_stopped(d: Drill) -> None:
    await simple(d, "ns2", ("stop-dns",), lambda: d.any_row("dns", "ns2: timeout"), "dns", "disks",
                 lambda: not d.any_row("dns", "ns2:"))


async def ns_servfail(d: Drill) -> None:
    await simple(d, "res1", ("servfail",), lambda: d.any_row("dns", "SERVFAIL"), "dns", "disks",
                 lambda: not d.any_row("dns", "SERVFAIL"))


async def resolver_slow(d: Drill) -> None:
    await simple(d, "res1", ("slow-dns",), lambda: d.any_row("dns", "res1: timeout"), "dns", "disks",
                 lambda: not d.any_row("dns", "res1:"))


Run = Callable[[Drill], Awaitable[None]]
DRILLS: list[tuple[str, Run]] = [
    ("sshd hung (SIGSTOP)", ssh_hung),
    ("sshd killed", ssh_killed),
    ("sshd restarted with a new host key", ssh_new_host_key),
    ("link down mid-command", link_down_mid_command),
    ("MariaDB hung", mysql_hung),
    ("MariaDB killed", mysql_killed),
    ("nameserver stopped", ns_stopped),
    ("nameserver answering SERVFAIL", ns_servfail),
    ("resolver slow (past the timeout)", resolver_slow),
    ("rsync killed", transfer_drills.rsync_killed),
    ("the source going away mid-import", transfer_drills.source_gone),
    ("the destination disk full", transfer_drills.destination_full),
]


@pytest.mark.parametrize("run", [pytest.param(run, id=run.__name__, marks=pytest.mark.drill(name))
                                 for name, run in DRILLS])
async def test_drill(cockpit: Drill, run: Run) -> None:
    while len(cockpit.app.screen_stack) > 1:  # a drill that failed before leaves no screen on top
        cockpit.app.pop_screen()
    await cockpit.pilot.pause()
    await run(cockpit)
