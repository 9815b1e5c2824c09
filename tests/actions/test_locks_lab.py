"""Remote locks on real hosts: races, owners, stale locks, nesting."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from action_lab import audit, ensure_cron, locks_on, make_inventory

from cockpit.actions import locks
from cockpit.actions.context import ActionContext
from cockpit.actions.service import ActionService
from cockpit.audit.log import Actor
from cockpit.engine.engine import Engine
from cockpit.inventory import load_inventory
from cockpit.lab import Lab

pytestmark = pytest.mark.lab
HOST = "web1"


def owner(user: str, name: str = "test-lock") -> locks.LockOwner:
    return locks.LockOwner(user=user, machine="lab-test", pid=4242, since="2026-11-26T00:00:00Z",
                           action=name, target=HOST)


async def test_two_engines_race_for_one_lock_exactly_one_wins(lab: Lab, tmp_path: Path) -> None:
    inv = load_inventory(make_inventory(lab, tmp_path))
    engines = [Engine(inv), Engine(inv)]  # two cockpits: separate SSH connections
    spec = locks.LockSpec(HOST, "site.race")
    try:
        for _ in range(3):
            results = await asyncio.gather(
                locks.acquire(engines[0].pool, spec, owner("alice")),
                locks.acquire(engines[1].pool, spec, owner("bob")), return_exceptions=True)
            won = [r for r in results if isinstance(r, locks.HeldLock)]
            lost = [r for r in results if isinstance(r, locks.LockBusy)]
            assert len(won) == 1 and len(lost) == 1, results
            assert not lost[0].stale
            assert lost[0].owner is not None and lost[0].owner.user == won[0].owner.user
            assert f"locked by {won[0].owner.user}@lab-test (pid 4242) since 2026-11-26T00:00:00Z" in str(lost[0])
            await won[0].release()
            assert (await locks.probe(engines[0].pool, spec)).state == "free"
    finally:
        for e in engines:
            await e.close()


async def test_a_dead_owner_leaves_a_stale_lock_broken_only_when_named(lab: Lab, tmp_path: Path) -> None:
    inv = load_inventory(make_inventory(lab, tmp_path))
    a, b = Engine(inv), Engine(inv)
    spec = locks.LockSpec(HOST, "site.stale")
    try:
        await locks.acquire(a.pool, spec, owner("alice"))
        assert (await locks.probe(b.pool, spec)).state == "live"
        (await a.pool.connection(HOST)).abort()  # the owning cockpit dies: its connection drops
        status = None
        for _ in range(100):  # the remote shell notices the EOF
            status = await locks.probe(b.pool, spec)
            if status.state == "stale":
                break
            await asyncio.sleep(0.1)
        assert status is not None and status.state == "stale" and status.owner is not None
        assert status.owner.user == "alice"
        with pytest.raises(locks.LockBusy) as busy:
            await locks.acquire(b.pool, spec, owner("bob"))
        assert busy.value.stale and "owner is gone" in str(busy.value)
        # naming another owner breaks nothing
        wrong = locks.LockOwner.parse(status.owner.raw.replace("alice", "mallory"))
        with pytest.raises(locks.LockBusy):
            await locks.acquire(b.pool, spec, owner("bob"), break_owner=wrong)
        held = await locks.acquire(b.pool, spec, owner("bob"), break_owner=status.owner)
        assert held.broke is not None and held.broke.user == "alice"
        await held.release()
        assert "site.stale" not in locks_on(lab, HOST)
    finally:
        await a.close()
        await b.close()


async def test_service_breaks_a_stale_lock_only_when_confirmed_and_audits_it(lab: Lab, tmp_path: Path) -> None:
    ensure_cron(lab, HOST)
    inv = load_inventory(make_inventory(lab, tmp_path))
    dead, engine = Engine(inv), Engine(inv)
    try:
        await locks.acquire(dead.pool, locks.LockSpec(HOST, f"host.{HOST}"), owner("alice", "stop-cron"))
        (await dead.pool.connection(HOST)).abort()
        service = ActionService(engine)
        for _ in range(100):
            plan = await service.prepare("resume-cron", HOST)
            if plan.stale_locks:
                break
            await asyncio.sleep(0.1)
        assert plan.stale_locks and not plan.blocked
        assert any("STALE lock left by alice@lab-test" in c.detail for c in plan.checks)
        run = await service.execute(plan)
        assert run.state == "refused" and "--break-stale-lock" in run.message
        run = await service.execute(plan, break_stale=True)
        assert run.state == "done", run.message
        broken = [r for r in audit(Path(inv.path)) if r["kind"] == "lock-broken"]
        assert len(broken) == 1 and broken[0]["broken_owner"]["user"] == "alice"
        assert broken[0]["lock"] == f"host.{HOST}" and broken[0]["run_id"] == run.run_id
    finally:
        await dead.close()
        await engine.close()


async def test_a_nested_action_reuses_its_ancestors_lock_and_no_one_elses(lab: Lab, tmp_path: Path) -> None:
    ensure_cron(lab, HOST)
    inv = load_inventory(make_inventory(lab, tmp_path))
    engine = Engine(inv)
    service = ActionService(engine, actor=Actor("carol", "lab-test", 77))
    spec = locks.LockSpec(HOST, f"host.{HOST}")
    try:
        parent_lock = await locks.acquire(engine.pool, spec, owner("carol", "failover-host"))
        try:
            plan = await service.prepare("resume-cron", HOST)
            assert plan.blocked and "locked by carol@lab-test" in plan.blocked[0].detail
            # started by the action that holds the lock: it goes on under that lock
            parent = ActionContext(service, None, frozenset({(HOST, spec.name)}))
            run = await service.execute(plan.__class__(**{**plan.__dict__, "checks": ()}), parent=parent)
            assert run.state == "done", run.message
            # the parent's lock is still held (the child did not release it)
            assert (await locks.probe(engine.pool, spec)).state == "live"
        finally:
            await parent_lock.release()
    finally:
        await engine.close()


async def test_a_lock_whose_holder_does_not_answer_release_is_still_removed_but_only_if_still_ours(
        lab: Lab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(locks, "ANSWER_TIMEOUT", 3.0)  # how long the old owner waits for a live holder
    # On a loaded standby the holder's RELEASED came after the wait; the channel was closed, the holder
    # exited on EOF, and the lock stayed as a stale one that blocked the re-run (20-site demo, move-database)
    inv = load_inventory(make_inventory(lab, tmp_path))
    engine = Engine(inv)
    spec = locks.LockSpec(HOST, "site.late")
    try:
        mine = await locks.acquire(engine.pool, spec, owner("alice"))
        mine._process.close()  # the holder never says RELEASED: its channel is gone, as after the wait
        assert await mine.release() is True
        assert (await locks.probe(engine.pool, spec)).state == "free"
        # a lock someone else has taken since is never removed by the old owner
        theirs = await locks.acquire(engine.pool, spec, owner("bob"))
        assert await mine.release() is False
        assert (await locks.probe(engine.pool, spec)).state == "live"
        assert await theirs.release() is True
    finally:
        await engine.close()
