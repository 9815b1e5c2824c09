"""A long-lived table checker against the lab: the cockpit's own stalls are not
blamed on the server, and after a fault is healed the same engine reads every
site again within a sweep or two, without a restart.

Nothing asserts how fast things happen; every fault is healed in ``finally``.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import asyncssh
import pytest
from tableslab import eventually, host_out

from cockpit.engine.engine import Engine
from cockpit.inventory import load_inventory
from cockpit.lab import Lab
from cockpit.tables.model import TableStatus
from cockpit.transport.errors import HostDown, ProbeError

pytestmark = [pytest.mark.lab, pytest.mark.usefixtures("healed")]

WEB1 = ("acme", "globex")


@contextlib.asynccontextmanager
async def long_lived(lab: Lab, *, connect: float, check: float = 20.0) -> AsyncIterator[Engine]:
    await asyncio.to_thread(lab.heal)
    inv = load_inventory(lab.inventory_path)
    sites = tuple(dataclasses.replace(s, mysql=dataclasses.replace(s.mysql, connect_timeout=connect,
                                                                   check_timeout=check)) for s in inv.sites)
    hosts = tuple(dataclasses.replace(h, connect_timeout=connect) for h in inv.hosts)
    e = Engine(dataclasses.replace(inv, sites=sites, hosts=hosts), read_only=True)
    try:
        yield e
    finally:
        await e.close()


def errors(e: Engine, names: tuple[str, ...] = WEB1) -> dict[str, str | None]:
    return {n: e.tables.sites[n].error for n in names}


async def read_again(e: Engine, sweeps: int = 2) -> dict[str, str | None]:
    """Sweep up to ``sweeps`` times (as the UI's poller would, the operator's refresh first) until
    every web1 site is read; what is left unread."""
    for _ in range(sweeps):
        e.pool.retry_now()
        await e.tables.sweep()
        if not any(errors(e).values()):
            break
    return {n: err for n, err in errors(e).items() if err}


async def test_a_stall_of_the_cockpits_own_loop_is_not_blamed_on_the_server(lab: Lab) -> None:
    """The 20-site demo's long-lived cockpit showed every web1 site "MySQL ... no answer within 5 s"
    for minutes while a fresh status read them in 0.1 s: its loop stalled for seconds (a TUI under
    load), and the answer that came in time was read in the loop turn its timeout fired in."""
    async with long_lived(lab, connect=1.5) as e:
        m = e.tables.site("acme").mysql
        assert await e.tables.servers.ping("web1", m) is None  # the tunnel is up
        await asyncio.to_thread(lab.fault, "web1", "hang-mysql")
        heal = threading.Timer(0.3, lab.heal, ("web1", "hang-mysql"))
        try:
            ping = asyncio.create_task(e.tables.servers.ping("web1", m))
            await asyncio.sleep(0.2)  # the connect waits on the stopped server...
            heal.start()  # ...which answers 0.3 s into a 2 s stall of the cockpit's own loop
            time.sleep(2.0)  # noqa: ASYNC251 - the point: the cockpit's own loop is blocked
            assert await ping is None  # before Patience: "no answer within 1.5 s (server hung?)"
        finally:
            heal.join()
            await asyncio.to_thread(lab.heal)


async def test_a_connect_our_own_stall_made_fail_is_tried_once_more(lab: Lab) -> None:
    """A stall past Patience's wall-time cap (or past MariaDB's own 10 s handshake timeout, when it
    closes the connection): the connect is made again instead of the server reported unreachable."""
    async with long_lived(lab, connect=1.0) as e:
        m = e.tables.site("acme").mysql
        assert await e.tables.servers.ping("web1", m) is None
        await asyncio.to_thread(lab.fault, "web1", "hang-mysql")
        heal = threading.Timer(0.3, lab.heal, ("web1", "hang-mysql"))
        try:
            ping = asyncio.create_task(e.tables.servers.ping("web1", m))
            await asyncio.sleep(0.2)
            heal.start()
            time.sleep(3.5)  # noqa: ASYNC251 - longer than 3x connect_timeout: the first connect gives up
            assert await ping is None  # before the second try: "no answer within 1 s (server hung?)"
        finally:
            heal.join()
            await asyncio.to_thread(lab.heal)


async def test_a_stall_of_our_own_during_an_ssh_probe_keeps_the_connection_and_its_tunnel(lab: Lab) -> None:
    """A channel open that "timed out" drops the host's connection: every MySQL session on it dies
    (the table being CHECKed would be marked suspect) and the tunnel must be made again."""
    async with long_lived(lab, connect=1.5) as e:
        m = e.tables.site("acme").mysql
        assert await e.tables.servers.ping("web1", m) is None
        conn = await e.pool.connection("web1")
        asyncio.get_running_loop().call_soon(time.sleep, 2.0)  # longer than the host's connect_timeout
        assert (await e.pool.run("web1", "true")).exit_status == 0
        assert await e.pool.connection("web1") is conn and not conn.is_closed()


async def test_a_stall_of_our_own_during_an_ssh_connect_does_not_mark_the_host_down(lab: Lab) -> None:
    """A reconnect after a heal that "timed out" puts the host in backoff (up to 15 s) for nothing."""
    async with long_lived(lab, connect=1.5) as e:
        asyncio.get_running_loop().call_later(0.01, time.sleep, 3.0)  # lands in the SSH handshake
        conn = await e.pool.connection("web1")
        assert not conn.is_closed()
        assert await e.tables.servers.ping("web1", e.tables.site("acme").mysql) is None


async def test_the_tunnel_follows_the_ssh_connection_that_replaces_a_hung_one(lab: Lab) -> None:
    fault = "hang-ssh"  # kill-ssh (sshd restarted): see the cut-off CHECK test below
    async with long_lived(lab, connect=1.5) as e:
        await e.tables.sweep()
        assert not any(errors(e).values())
        old = await e.pool.connection("web1")
        try:
            await asyncio.to_thread(lab.fault, "web1", fault)
            with contextlib.suppress(HostDown, ProbeError):  # a probe finds the host gone and drops the connection
                await e.pool.run("web1", "true", timeout=1.5)
            assert await eventually(_closed(old))
            await e.tables.sweep()
            assert all(e.tables.sites[n].unreachable for n in WEB1), errors(e)
        finally:
            await asyncio.to_thread(lab.heal, "web1", fault)
        assert await read_again(e) == {}
        assert await e.pool.connection("web1") is not old
        assert {t.status for n in WEB1 for t in e.tables.sites[n].tables.values()} == {TableStatus.OK}


async def test_checks_that_time_out_on_a_hung_server_recover_after_heal(lab: Lab) -> None:
    async with long_lived(lab, connect=1.5, check=1.5) as e:
        await e.tables.sweep()
        locker = await e.tables.servers.connect("web1", e.tables.site("acme").mysql, database="acme")
        try:
            await locker.query("LOCK TABLES `worker` WRITE")  # the sweep's CHECK of acme.worker waits on it...
            sweep = asyncio.create_task(e.tables.sweep())
            assert await eventually(_check_waits(lab))
            await asyncio.to_thread(lab.fault, "web1", "hang-mysql")  # ...when the server hangs
            await sweep  # the CHECK times out, a quick connect too: the server is down
            assert e.tables.sites["acme"].unreachable, errors(e)
            await e.tables.sweep()  # and connects time out in a row
            assert all(e.tables.sites[n].unreachable for n in WEB1), errors(e)
        finally:
            await asyncio.to_thread(lab.heal, "web1", "hang-mysql")
            locker.close()
        assert await read_again(e) == {}
        limit = e.tables.servers.limit(e.tables.servers.key("web1", e.tables.site("acme").mysql), 2)
        assert not limit.locked()  # every session slot came back


def _closed(conn: asyncssh.SSHClientConnection) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return conn.is_closed()
    return check


def _check_waits(lab: Lab) -> Callable[[], Awaitable[bool]]:
    sql = ("SELECT COUNT(*) FROM information_schema.PROCESSLIST "
           "WHERE INFO LIKE 'CHECK TABLE `acme`.`worker`%' AND STATE LIKE 'Waiting%'")

    async def check() -> bool:
        return (await host_out(lab, "web1", ["mariadb", "-N", "-B", "-e", sql])).strip() == "1"
    return check


async def test_a_check_cut_off_by_the_ssh_link_is_not_blamed_on_the_server(lab: Lab) -> None:
    """The tunnel's SSH connection dying under a CHECK says nothing about the tables: the table is
    unknown (its last result kept, stale), not suspect, and the site unreachable over SSH."""
    async with long_lived(lab, connect=1.5) as e:
        await e.tables.check_site("acme")
        locker = await e.tables.servers.connect("web1", e.tables.site("acme").mysql, database="acme")
        try:
            await locker.query("LOCK TABLES `worker` WRITE")  # the CHECK of acme.worker waits on it
            check = asyncio.create_task(e.tables.check_site("acme"))
            assert await eventually(_check_waits(lab))
            await asyncio.to_thread(lab.fault, "web1", "kill-ssh")  # sshd and its connections die; MariaDB is fine
            await check
        finally:
            locker.close()
            await asyncio.to_thread(lab.heal, "web1", "kill-ssh")
        acme = e.tables.sites["acme"]
        worker = acme.tables["worker"]
        assert worker.status is TableStatus.OK and worker.stale, worker  # the last real result, said to be stale
        assert not any(t.status.bad for t in acme.tables.values())
        assert acme.unreachable and "SSH" in (acme.error or ""), acme.error
        assert await read_again(e) == {}
