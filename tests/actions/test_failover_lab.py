"""failover-site and failover-host against a real fleet: MariaDB on web1 and
the standby, BIND taking TSIG updates (the ``dblab`` of tests/actions/conftest.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from action_lab import audit, cli, make_inventory

from cockpit.engine import placement
from cockpit.engine.statefile import StateFile
from cockpit.inventory import load_inventory
from cockpit.lab import Lab

pytestmark = pytest.mark.lab


def primary_answers(inv_path: Path, site: str) -> tuple[str, ...]:
    import asyncio

    from cockpit.dns.update import primary_answer

    return asyncio.run(primary_answer(load_inventory(inv_path), site))


def public_ip(inv_path: Path, host: str) -> str:
    ip = load_inventory(inv_path).host(host).public_ip
    assert ip
    return ip


def test_failover_host_goes_on_past_a_site_with_a_corrupt_standby_and_a_rerun_finishes(
        dblab: Lab, tmp_path: Path) -> None:
    inv = make_inventory(dblab, tmp_path)
    old = primary_answers(inv, "globex")
    dblab.fault("standby1", "corrupt-table", "globex.ticket")
    try:
        p = cli(inv, "action", "failover-host", "web1", "--yes")
    finally:
        dblab.heal("standby1")
    assert p.returncode == 1, p.stdout + p.stderr
    assert "acme: done" in p.stdout and "globex: refused" in p.stdout
    assert "initech has no standby: it is left alone" in p.stdout
    assert primary_answers(inv, "acme") == (public_ip(inv, "standby1"),)
    assert primary_answers(inv, "globex") == old  # its failover was refused: DNS untouched
    state = StateFile(tmp_path / "state" / "state.json").load()
    sites = load_inventory(inv)
    assert placement.current_host(state, sites.site("acme"), sites) == "standby1"
    assert placement.current_host(state, sites.site("globex"), sites) == "web1"
    # the tables are checked where each site is now: acme on the standby, globex still on web1
    import json

    status = cli(inv, "status", "--json")
    checked = {s["name"]: s for s in json.loads(status.stdout)["sites"]}
    assert (checked["acme"]["host"], checked["globex"]["host"]) == ("standby1", "web1"), status.stderr
    assert checked["acme"]["tables_checked"] > 0 and checked["acme"]["state"] == "ok"

    recs = audit(inv)
    parent = next(r for r in recs if r["kind"] == "action-start" and r["action"] == "failover-host")
    children = [r for r in recs if r["kind"] == "action-start" and r.get("parent") == parent["run_id"]]
    assert sorted(str(r["target"]) for r in children) == ["acme"]  # globex refused at its preconditions

    # the standby is healed: the same action again fails over what is left (globex), acme is not touched again
    p = cli(inv, "action", "failover-host", "web1", "--yes")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "failover-site globex" in p.stdout and "failover-site acme" not in p.stdout
    assert primary_answers(inv, "globex") == (public_ip(inv, "standby1"),)

    # failover-site on a site already moved: nothing to change, verified again
    p = cli(inv, "action", "failover-site", "acme", "--yes")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "already points at standby1: no DNS change" in p.stdout


def test_failover_site_refuses_without_a_standby(dblab: Lab, tmp_path: Path) -> None:
    inv = make_inventory(dblab, tmp_path)
    p = cli(inv, "action", "failover-site", "initech", "--yes")
    assert p.returncode == 3
    assert "FAIL site initech has a standby" in p.stdout


def test_killed_during_a_host_failover_the_next_run_completes_and_the_audit_shows_both(
        dblab: Lab, tmp_path: Path) -> None:
    import signal
    import subprocess
    import time

    from action_lab import REPO, SAFETY, cli_argv

    inv = make_inventory(dblab, tmp_path)
    # the standby's server hangs (SIGSTOP): a site's failover waits in its preconditions, for sure
    inv.write_text(inv.read_text().replace("[mysql]\n", "[mysql]\nconnect_timeout = 600\ncheck_timeout = 600\n", 1))
    dblab.fault("standby1", "hang-mysql")
    proc = subprocess.Popen(cli_argv(inv, "action", "failover-host", "web1", "--yes"), cwd=REPO,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + SAFETY
        while not any(r["kind"] == "action-step" and r["action"] == "failover-host" for r in audit(inv)):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the host failover never started its step"
            time.sleep(0.1)
        proc.send_signal(signal.SIGKILL)  # mid-action: its sites are being failed over
        proc.wait(SAFETY)
    finally:
        if proc.poll() is None:
            proc.kill()
        dblab.heal("standby1")
    first = [r for r in audit(inv) if r["kind"] == "action-start" and r["action"] == "failover-host"]
    assert len(first) == 1 and not [r for r in audit(inv) if r["kind"] == "action-end"]

    deadline = time.monotonic() + SAFETY  # until the host has seen the dead cockpit's session end
    while "STALE lock left by" not in cli(inv, "action", "failover-host", "web1", "--dry-run").stdout:
        assert time.monotonic() < deadline, "the killed cockpit's lock never became stale"
        time.sleep(0.2)
    p = cli(inv, "action", "failover-host", "web1", "--yes", "--break-stale-lock")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "WARNING: failover-host on web1 started at" in p.stderr
    recs = audit(inv)
    runs = [r["run_id"] for r in recs if r["kind"] == "action-start" and r["action"] == "failover-host"]
    assert len(runs) == 2  # both runs
    assert [r["run_id"] for r in recs if r["kind"] == "action-incomplete"] == [runs[0]]
    assert [(r["run_id"], r["result"]) for r in recs if r["kind"] == "action-end" and r["action"] == "failover-host"] \
        == [(runs[1], "done")]
    assert primary_answers(inv, "acme") == (public_ip(inv, "standby1"),)


def test_failover_ttl_lowers_the_ttl_first_and_done_by_counts_with_the_old_one(dblab: Lab, tmp_path: Path) -> None:
    import asyncio

    from cockpit.dns import changes
    from cockpit.dns.update import current_records, replace_site_address

    inv, loaded, server, port = _inventory_with_failover_ttl(dblab, tmp_path, 7)
    # acme on web1 with a 60 s TTL, whatever an earlier test left
    asyncio.run(replace_site_address(loaded, "acme", addresses=[public_ip(inv, "web1")], ttl=60))
    try:
        p = cli(inv, "action", "failover-site", "acme", "--yes")
        assert p.returncode == 0, p.stdout + p.stderr
        lowered = p.stdout.index("Lower the TTL of acme.example.test from 60 s to 7 s first")
        assert lowered < p.stdout.index("Send a TSIG-signed DNS update: acme.example.test -> ")
        assert "TTL 60 s -> 7 s" in p.stdout  # the lowering step's own output
        now = asyncio.run(current_records(server, port, "acme.example.test", 5.0))
        assert (now.addresses, now.ttl) == ((public_ip(inv, "standby1"),), 7)  # moved, and the new TTL is short
        change = changes.read(StateFile(tmp_path / "state" / "state.json").load())["acme"]
        assert change.old_ttl == 60  # caches may hold web1's answer for 60 s, not 7: "done by" says so
    finally:  # as failover-host leaves it, with the lab's TTL
        asyncio.run(replace_site_address(loaded, "acme", addresses=[public_ip(inv, "standby1")], ttl=60))


def test_failover_ttl_a_rerun_after_a_crash_between_lowering_and_moving_keeps_the_original_ttl(
        dblab: Lab, tmp_path: Path) -> None:
    """The cockpit dies after lowering 60 s to 7 s (addresses unchanged), before the move: the server
    answers 7 s now, but caches may hold web1's answer for 60 s. The re-run does not lower again, records
    60 s as the old TTL ("done by"), and its rollback names 60 s, never the lowered 7 s."""
    import asyncio

    from cockpit.actions.context import ActionContext
    from cockpit.actions.model import ActionRun
    from cockpit.actions.service import ActionService
    from cockpit.dns import changes
    from cockpit.dns.update import current_records, replace_site_address
    from cockpit.engine.engine import Engine

    inv, loaded, server, port = _inventory_with_failover_ttl(dblab, tmp_path, 7)
    web1, standby1 = public_ip(inv, "web1"), public_ip(inv, "standby1")

    async def lower_then_crash() -> None:  # the first step of the real plan, then nothing (the crash)
        engine = Engine(loaded)
        try:
            service = ActionService(engine)
            plan = await service.prepare("failover-site", "acme")
            assert plan.steps[0].title.startswith("Lower the TTL of acme.example.test from 60 s to 7 s")
            lower = plan.steps[0].run
            assert lower is not None
            await lower(ActionContext(service, ActionRun(plan)))
        finally:
            await engine.close()

    asyncio.run(replace_site_address(loaded, "acme", addresses=[web1], ttl=60))
    try:
        asyncio.run(lower_then_crash())
        now = asyncio.run(current_records(server, port, "acme.example.test", 5.0))
        assert (now.addresses, now.ttl) == ((web1,), 7)  # lowered, not moved: what the crash left

        plan = cli(inv, "action", "failover-site", "acme", "--dry-run")
        assert "was already lowered from 60 s to 7 s by an earlier run" in plan.stdout, plan.stdout + plan.stderr
        assert "set it back to 60 s" in plan.stdout and "set it back to 7 s" not in plan.stdout
        p = cli(inv, "action", "failover-site", "acme", "--yes")
        assert p.returncode == 0, p.stdout + p.stderr
        assert "Lower the TTL" not in p.stdout  # done before the crash: not done twice
        now = asyncio.run(current_records(server, port, "acme.example.test", 5.0))
        assert (now.addresses, now.ttl) == ((standby1,), 7)
        state = StateFile(tmp_path / "state" / "state.json").load()
        assert changes.read(state)["acme"].old_ttl == 60  # not the lowered 7 s
        assert not state.get("ttl_lowered")  # moved: the memory of the lowering is gone
    finally:
        asyncio.run(replace_site_address(loaded, "acme", addresses=[standby1], ttl=60))


def _inventory_with_failover_ttl(dblab: Lab, tmp_path: Path, ttl: int) -> tuple[Path, Any, str, int]:
    """The lab inventory with ``[dns] failover_ttl``, loaded, and where its DNS updates go."""
    import tomllib

    from cockpit.lab.inventory_writer import dumps

    inv = make_inventory(dblab, tmp_path)
    data = tomllib.loads(inv.read_text())
    data["dns"]["failover_ttl"] = ttl
    inv.write_text(dumps(data))
    loaded = load_inventory(inv)
    assert loaded.dns is not None and loaded.dns.update is not None
    return inv, loaded, loaded.dns.update.server, loaded.dns.update.port
