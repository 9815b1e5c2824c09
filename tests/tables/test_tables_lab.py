"""The table checker against the lab's real MariaDB servers, with real on-disk
corruption, a hung server, a crash during CHECK and a wrong password (root).

Nothing asserts how fast things happen: timeouts are small so the tests end,
and every wait has a generous safety net.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from tableslab import eventually, host_out

from cockpit.engine.engine import Engine
from cockpit.engine.hoststate import Reach
from cockpit.inventory import load_inventory
from cockpit.inventory.model import Inventory
from cockpit.lab import Lab
from cockpit.severity import Severity
from cockpit.status.document import status_document
from cockpit.tables.dump import dump_site
from cockpit.tables.model import SiteStateName, TableStatus
from cockpit.tables.verdict import verdict
from cockpit.transport.mysql import MySqlServers

pytestmark = [pytest.mark.lab, pytest.mark.usefixtures("healed")]
REPO = str(Path(__file__).resolve().parents[2])


def lab_inventory(lab: Lab, **mysql: Any) -> Inventory:
    inv = load_inventory(lab.inventory_path)
    sites = tuple(dataclasses.replace(s, mysql=dataclasses.replace(s.mysql, **mysql)) for s in inv.sites)
    hosts = tuple(dataclasses.replace(h, connect_timeout=3.0) for h in inv.hosts)
    return dataclasses.replace(inv, sites=sites, hosts=hosts)


@contextlib.asynccontextmanager
async def lab_engine(lab: Lab) -> AsyncIterator[Engine]:
    await asyncio.to_thread(lab.heal)  # an earlier test may have left a server down (e.g. ro-mount)
    e = Engine(lab_inventory(lab, connect_timeout=3.0, check_timeout=20.0), read_only=True)
    try:
        yield e
    finally:
        await e.close()


def _status(e: Engine, site: str) -> dict[str, TableStatus]:
    return {n: t.status for n, t in e.tables.sites[site].tables.items()}


async def _fault(lab: Lab, *args: str) -> None:
    await asyncio.to_thread(lab.fault, *args)


async def test_a_clean_fleet_checks_every_table_of_every_site(lab: Lab) -> None:
    async with lab_engine(lab) as engine:
        await engine.tables.sweep()
        for name, site in engine.tables.sites.items():
            v = verdict(site, site.checked_at or site.started_at)  # type: ignore[arg-type]
            assert (name, v.state, v.checked) == (name, SiteStateName.OK, v.total)
            assert v.total >= 12
        acme = engine.tables.sites["acme"].tables
        assert acme["old `import` 2019"].status is TableStatus.OK  # backticks and spaces, quoted
        assert {t.info.engine for t in acme.values()} == {"InnoDB", "Aria", "MyISAM"}
        assert acme["worker"].info.rows == 400


async def test_a_corrupt_myisam_index_is_found_and_named(lab: Lab) -> None:
    async with lab_engine(lab) as engine:
        await _fault(lab, "web1", "corrupt-table", "acme.ticket_audit", "--part", "index")
        await engine.tables.sweep()
        acme = engine.tables.sites["acme"]
        assert [n for n, s in _status(engine, "acme").items() if s is not TableStatus.OK] == ["ticket_audit"]
        check = acme.tables["ticket_audit"].check
        assert check is not None and check.messages[-1].text == "Corrupt"  # MyISAM's verdict row
        # and the detail before it; its wording depends on where the random garbage landed
        assert [m for m in check.messages[:-1] if m.type == "error"], check.messages
        v = verdict(acme, check.checked_at)  # type: ignore[arg-type]
        assert (v.state, v.severity, v.corrupt) == (SiteStateName.CORRUPT, Severity.CRITICAL, ("ticket_audit",))
        assert verdict(engine.tables.sites["globex"], check.checked_at).state is SiteStateName.OK  # type: ignore[arg-type]


async def test_a_corrupt_aria_data_page_is_found_which_quick_would_miss(lab: Lab) -> None:
    async with lab_engine(lab) as engine:
        await _fault(lab, "web1", "corrupt-table", "acme.worker", "--part", "data")
        quick = await engine.tables.execute("acme", "CHECK TABLE `acme`.`worker` QUICK")
        assert quick[-1][2:] == (b"status", b"OK")  # QUICK says all is well...
        await engine.tables.check_site("acme")
        assert _status(engine, "acme")["worker"] is TableStatus.CORRUPT  # ...the default check does not


async def test_a_corrupt_innodb_page_is_found_and_the_server_survives(lab: Lab) -> None:
    async with lab_engine(lab) as engine:
        await _fault(lab, "web1", "corrupt-table", "acme.ticket", "--part", "data")
        await engine.tables.check_site("acme")
        check = engine.tables.sites["acme"].tables["ticket"].check
        assert check is not None and check.status is TableStatus.CORRUPT
        assert any("B-tree of index PRIMARY is corrupted" in m.text for m in check.messages)
        assert await engine.tables.execute("globex", "SELECT COUNT(*) FROM ticket") == [(1500,)]


async def test_a_hung_server_is_flagged_and_the_other_sites_keep_updating(lab: Lab) -> None:
    async with lab_engine(lab) as engine:
        await engine.tables.sweep()
        before = engine.tables.sites["initech"].checked_at
        await _fault(lab, "web1", "hang-mysql")
        await engine.tables.sweep()
        for name in ("acme", "globex"):
            site = engine.tables.sites[name]
            assert site.unreachable and "no answer" in (site.error or "")
            assert verdict(site, site.started_at).state is SiteStateName.UNREACHABLE  # type: ignore[arg-type]
            assert all(t.stale for t in site.tables.values())  # earlier results kept, never shown as fresh
        initech = engine.tables.sites["initech"]
        assert initech.error is None and before is not None and initech.checked_at is not None
        assert initech.checked_at >= before
        doc = status_document(engine)
        assert doc["severity"] in ("unknown", "critical")
        assert {s["name"]: s["state"] for s in doc["sites"]}["acme"] == "unreachable"


async def test_the_retry_sees_a_server_back_up_and_leaves_the_reachable_sites_to_the_sweep(lab: Lab) -> None:
    """Between sweeps (5 minutes by default) only the unreachable sites are tried again: a MySQL restarted after
    a crash showed as UNREACHABLE until the next sweep."""
    async with lab_engine(lab) as engine:
        checker = engine.tables
        await _fault(lab, "web1", "kill-mysql")
        await checker.sweep()
        assert sorted(checker.unreachable()) == ["acme", "globex"]
        initech = checker.sites["initech"].checked_at
        assert sorted(await checker.retry_unreachable()) == ["acme", "globex"]  # still down: tried, still so
        assert sorted(checker.unreachable()) == ["acme", "globex"]
        assert all(t.stale for t in checker.sites["acme"].tables.values())  # earlier results kept, marked stale
        await asyncio.to_thread(lab.heal, "web1")
        assert sorted(await checker.retry_unreachable()) == ["acme", "globex"]
        assert checker.unreachable() == []
        for name in ("acme", "globex"):
            site = checker.sites[name]
            assert site.error is None and not site.unreachable and site.checked_at is not None
            assert site.tables and not any(t.stale for t in site.tables.values())
            assert set(_status(engine, name).values()) == {TableStatus.OK}
        assert checker.sites["initech"].checked_at == initech  # not checked again: the sweep's job
        assert await checker.retry_unreachable() == []


async def test_the_retry_marks_the_sites_of_a_host_that_lost_ssh_without_waiting_for_the_sweep(lab: Lab) -> None:
    """A box that loses SSH (the outage) showed its sites' last sound check, ✓ OK, until the next sweep; once the
    disk sweep finds the host gone, the retry makes them UNREACHABLE, earlier results kept as stale."""
    async with lab_engine(lab) as engine:
        checker = engine.tables
        await checker.sweep()
        assert checker.unreachable() == []
        initech = checker.sites["initech"].checked_at
        await _fault(lab, "web1", "kill-ssh")
        await engine.sweep_disks()
        assert engine.pool.reach("web1")[0] is Reach.UNREACHABLE
        assert sorted(checker.unreachable()) == ["acme", "globex"]
        assert sorted(await checker.retry_unreachable()) == ["acme", "globex"]
        for name in ("acme", "globex"):
            site = checker.sites[name]
            assert site.unreachable and "web1" in (site.error or "")
            assert site.tables and all(t.stale for t in site.tables.values())
            assert verdict(site, site.started_at).state is SiteStateName.UNREACHABLE  # type: ignore[arg-type]
        assert checker.sites["initech"].checked_at == initech


@pytest.mark.parametrize("fault", ["kill-mysql", "hang-mysql"])
async def test_the_retry_finds_a_server_that_stopped_answering_while_its_host_stays_up(lab: Lab, fault: str) -> None:
    """A MySQL killed or hung while the host's SSH stays up showed its sites' last sound check, OK, until the
    next sweep (5 minutes by default): the retry pings each server that looks sound and checks the sites of one
    that does not answer."""
    async with lab_engine(lab) as engine:
        checker = engine.tables
        await checker.sweep()
        initech = checker.sites["initech"].checked_at
        await _fault(lab, "web1", fault)
        assert checker.unreachable() == []  # nothing has told the checker yet
        assert sorted(await checker.retry_unreachable()) == ["acme", "globex"]
        for name in ("acme", "globex"):
            site = checker.sites[name]
            assert site.unreachable and site.error
            assert site.tables and all(t.stale for t in site.tables.values())  # earlier results kept, stale
            assert verdict(site, site.started_at).state is SiteStateName.UNREACHABLE  # type: ignore[arg-type]
        assert checker.sites["initech"].checked_at == initech  # its server answered the ping: left to the sweep
        await asyncio.to_thread(lab.heal, "web1")
        assert sorted(await checker.retry_unreachable()) == ["acme", "globex"]
        assert checker.unreachable() == []
        assert set(_status(engine, "acme").values()) == {TableStatus.OK}
        assert await checker.retry_unreachable() == []


async def test_a_check_that_times_out_is_unknown_and_the_server_is_not_given_up(lab: Lab) -> None:
    e = Engine(lab_inventory(lab, check_timeout=2.0, connect_timeout=3.0), read_only=True)
    site = e.tables.site("acme")
    sql = "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'CHECK TABLE `acme`.%'"

    async def given_up_check_gone() -> bool:
        return (await host_out(lab, "web1", ["mariadb", "-N", "-B", "-e", sql])).strip() == "0"

    try:
        locker = await e.tables.servers.connect("web1", site.mysql, database="acme")  # outside the limit
        with contextlib.closing(locker):
            await locker.query("LOCK TABLES `worker` WRITE")
            await e.tables.check_site("acme")
            assert await eventually(given_up_check_gone)  # killed: it does not wait on while the lock is held
        st = e.tables.sites["acme"]
        assert st.tables["worker"].status is TableStatus.UNKNOWN
        assert "did not finish" in (st.tables["worker"].check.error or "")  # type: ignore[union-attr]
        assert st.error is None  # the server answered a quick connect: the rest was checked
        others = {n: s for n, s in _status(e, "acme").items() if n != "worker"}
        assert set(others.values()) == {TableStatus.OK}
    finally:
        await e.close()


@pytest.mark.drill("MariaDB killed mid-CHECK (engine; tests/tables)")
async def test_a_server_dying_during_check_makes_that_table_suspect(lab: Lab) -> None:
    async with lab_engine(lab) as engine:
        site = engine.tables.site("globex")
        locker = await engine.tables.servers.connect("web1", site.mysql, database="globex")  # outside the limit
        with contextlib.closing(locker):
            await locker.query("LOCK TABLES `ticket` WRITE")
            check = asyncio.create_task(engine.tables.check_site("globex"))
            st = engine.tables.sites["globex"]

            async def check_of_ticket_waits() -> bool:  # as the server sees it (the tables after it wait too)
                sql = ("SELECT COUNT(*) FROM information_schema.PROCESSLIST "
                       "WHERE INFO LIKE 'CHECK TABLE `globex`.`ticket`%' AND STATE LIKE 'Waiting%'")
                return (await host_out(lab, "web1", ["mariadb", "-N", "-B", "-e", sql])).strip() == "1"

            assert await eventually(check_of_ticket_waits)
            assert st.checking and st.done < st.total
            await _fault(lab, "web1", "kill-mysql")  # a crash while CHECK TABLE ticket waits
            await asyncio.wait_for(check, 60)
        assert st.tables["ticket"].status is TableStatus.SUSPECT
        v = verdict(st, st.started_at)  # type: ignore[arg-type]
        assert (v.state, v.severity) == (SiteStateName.UNREACHABLE, Severity.CRITICAL)
        assert "went away" in (st.error or "")


async def test_a_wrong_password_is_a_clear_message_without_the_secret(lab: Lab, monkeypatch: pytest.MonkeyPatch,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    wrong = "wrong-password-1234"
    monkeypatch.setenv("TEST_COCKPIT_WRONG_PW", wrong)
    e = Engine(lab_inventory(lab, password_env="TEST_COCKPIT_WRONG_PW", option_file=None), read_only=True)
    try:
        await e.tables.sweep()
        doc = json.dumps(status_document(e))
    finally:
        await e.close()
    acme = e.tables.sites["acme"]
    assert "Access denied for user 'cockpit'" in (acme.error or "")
    assert not acme.unreachable and verdict(acme, acme.started_at).state is SiteStateName.UNKNOWN  # type: ignore[arg-type]
    assert wrong not in doc and wrong not in capsys.readouterr().err


async def test_a_missing_password_variable_is_an_error_for_those_sites_only(lab: Lab,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEST_COCKPIT_UNSET_PW", raising=False)
    inv = load_inventory(lab.inventory_path)
    sites = tuple(dataclasses.replace(s, mysql=dataclasses.replace(s.mysql, password_env="TEST_COCKPIT_UNSET_PW",
                                                                   option_file=None)) if s.name == "initech" else s
                  for s in inv.sites)
    e = Engine(dataclasses.replace(inv, sites=sites), read_only=True)
    try:
        await e.tables.sweep()
    finally:
        await e.close()
    assert "TEST_COCKPIT_UNSET_PW" in (e.tables.sites["initech"].error or "")
    assert e.tables.sites["acme"].error is None


async def test_via_direct_reaches_a_server_listening_on_the_lab_address(lab: Lab) -> None:
    address = lab.state.host("web2").address
    e = Engine(lab_inventory(lab, via="direct", address=address), read_only=True)
    try:
        servers: MySqlServers = e.tables.servers
        await e.tables.check_site("initech")
        assert str(servers.key("web2", e.tables.site("initech").mysql)) == f"MySQL at {address}:3306"
    finally:
        await e.close()
    assert e.tables.sites["initech"].error is None, e.tables.sites["initech"].error
    assert set(_status(e, "initech").values()) == {TableStatus.OK}


async def test_a_table_is_dumped_on_its_host_over_ssh(lab: Lab) -> None:
    async with lab_engine(lab) as engine:
        r = await dump_site(engine.pool, engine.tables.site("acme"), "/tmp/acme worker.sql", ["worker"])
        assert r.exit_status == 0, r.stderr
        text = await host_out(lab, "web1", ["sh", "-c", "cat '/tmp/acme worker.sql'; rm -f '/tmp/acme worker.sql'"])
        assert "CREATE TABLE `worker`" in text and "INSERT INTO `worker`" in text


async def test_one_table_is_rechecked_alone_after_a_repair(lab: Lab) -> None:
    async with lab_engine(lab) as engine:
        await _fault(lab, "web1", "corrupt-table", "globex.worker")
        await engine.tables.check_site("globex")
        site = engine.tables.sites["globex"]
        full = site.checked_at
        before = {n: t.checked_at for n, t in site.tables.items()}
        assert site.tables["worker"].status is TableStatus.CORRUPT
        await asyncio.to_thread(lab.heal, "web1", "corrupt-table")  # the lab reloads the table from a dump
        t = await engine.tables.check_table("globex", "worker")
        assert t is not None and t.status is TableStatus.OK
        assert site.checked_at == full  # one table is not a full check of the site
        assert all(site.tables[n].checked_at == at for n, at in before.items() if n != "worker")


async def test_a_crashed_table_keeps_its_engine_and_status_json_says_critical(lab: Lab) -> None:
    async with lab_engine(lab) as engine:
        await engine.tables.check_site("globex")
        await _fault(lab, "web1", "corrupt-table", "globex.ticket_audit")
        await engine.tables.check_site("globex")  # CHECK marks it crashed
        await engine.tables.check_site("globex")  # discovery now gets a NULL engine (and a server warning)
        t = engine.tables.sites["globex"].tables["ticket_audit"]
        assert t.status is TableStatus.CORRUPT and t.info.engine == "MyISAM"
        assert "marked as crashed" in t.info.comment
    env = {**os.environ, "PYTHONPATH": REPO}
    p = await asyncio.to_thread(subprocess.run, [sys.executable, "-m", "cockpit", "status", "--json", "--inventory",
                                                 str(lab.inventory_path)], capture_output=True, env=env, timeout=300)
    assert p.returncode == 2, p.stderr
    assert b"marked as crashed" not in p.stderr  # the server's warnings never reach stderr (the TUI's screen)
    doc = json.loads(p.stdout)
    globex = next(s for s in doc["sites"] if s["name"] == "globex")
    assert (globex["state"], globex["severity"], globex["corrupt_tables"]) == ("corrupt", "critical", ["ticket_audit"])
    assert doc["severity"] == "critical"
