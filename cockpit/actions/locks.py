"""Remote locks: one action at a time per target, across cockpits and machines.

See :mod:`cockpit.actions.lock_script` for how a lock lives on its host. Here:
taking one (an SSH channel that stays open while it is held), reading who
holds one, and breaking a stale one only when told which owner to break.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass
from typing import Any

import asyncssh

from cockpit.actions import lock_script
from cockpit.actions.model import ActionError
from cockpit.transport.errors import HostDown
from cockpit.transport.ssh import SshPool
from cockpit.untrusted import decode, load_json, printable

log = logging.getLogger(__name__)

ANSWER_TIMEOUT = 15.0


@dataclass(frozen=True)
class LockSpec:
    host: str  # where the lock lives
    name: str  # e.g. host.web1, site.acme


@dataclass(frozen=True)
class LockOwner:
    user: str
    machine: str
    pid: int
    since: str  # ISO time the lock was taken
    action: str
    target: str
    run_id: str = ""
    raw: str = ""  # the owner line exactly as stored (what a break must match)

    def line(self) -> str:
        return json.dumps({"user": self.user, "machine": self.machine, "pid": self.pid, "since": self.since,
                           "action": self.action, "target": self.target, "run_id": self.run_id},
                          sort_keys=True, separators=(",", ":"))

    def describe(self) -> str:
        return (f"{self.user}@{self.machine} (pid {self.pid}) since {self.since}, "
                f"running {self.action} on {self.target}")

    def to_json(self) -> dict[str, Any]:
        return {"user": self.user, "machine": self.machine, "pid": self.pid, "since": self.since,
                "action": self.action, "target": self.target, "run_id": self.run_id}

    @classmethod
    def parse(cls, raw: str) -> LockOwner | None:
        """The owner line of a lock (host text: untrusted, never raises)."""
        raw = raw.strip()
        d = load_json(raw)
        if not isinstance(d, dict):
            return None

        def text(key: str) -> str:
            return printable(str(d.get(key, "?")), 120)

        pid = d.get("pid")
        return cls(user=text("user"), machine=text("machine"), pid=pid if isinstance(pid, int) else -1,
                   since=text("since"), action=text("action"), target=text("target"),
                   run_id=text("run_id"), raw=raw)


class LockBusy(ActionError):
    """Someone else holds the lock (``stale``: its owner is gone, it can be broken with a confirm)."""

    def __init__(self, spec: LockSpec, owner: LockOwner | None, stale: bool):
        self.spec, self.owner, self.stale = spec, owner, stale
        who = owner.describe() if owner else "an unknown owner (its owner file is missing or unreadable)"
        if stale:
            msg = (f"{spec.name} on {spec.host} is locked by {who}, and that owner is gone (stale lock): "
                   "break it only if you are sure no one is still working on it")
        else:
            msg = f"{spec.name} on {spec.host} is locked by {who}"
        super().__init__(msg)


class LockError(ActionError):
    """The lock could not be taken or read for another reason (host down, no flock...)."""


@dataclass(frozen=True)
class LockStatus:
    spec: LockSpec
    state: str  # free | live | stale
    owner: LockOwner | None


def _parse(spec: LockSpec, out: str) -> tuple[str, LockOwner | None, list[str]]:
    lines = out.splitlines()
    states: list[str] = []
    owner: LockOwner | None = None
    for i, line in enumerate(lines):
        if line.startswith(lock_script.TAG + " "):
            word = line[len(lock_script.TAG) + 1:].strip()
            states.append(word)
            if word.split()[0] in ("LIVE", "STALE") and i + 1 < len(lines):
                owner = LockOwner.parse(lines[i + 1])
    if not states:
        raise LockError(f"lock {spec.name} on {spec.host}: unexpected answer {printable(out, 200)!r}")
    last = states[-1]
    if last.startswith("ERROR"):
        raise LockError(f"lock {spec.name} on {spec.host}: {printable(last[6:], 200)}")
    return last.split()[0], owner, states


async def probe(pool: SshPool, spec: LockSpec) -> LockStatus:
    """Who holds the lock now, without taking it."""
    try:
        res = await pool.run(spec.host, lock_script.probe_command(spec.name), timeout=ANSWER_TIMEOUT)
    except HostDown as e:
        raise LockError(f"lock {spec.name}: host {spec.host} is down: {e}") from None
    except Exception as e:
        raise LockError(f"lock {spec.name} on {spec.host}: {printable(str(e), 200)}") from None
    state, owner, _ = _parse(spec, decode(res.stdout))
    return LockStatus(spec, state.lower(), owner)


class HeldLock:
    """A lock this cockpit holds: the remote shell that keeps it is alive until release."""

    def __init__(self, spec: LockSpec, owner: LockOwner, process: asyncssh.SSHClientProcess[bytes],
                 broke: LockOwner | None, pool: SshPool | None = None):
        self.spec, self.owner, self._process, self.broke, self._pool = spec, owner, process, broke, pool

    async def release(self) -> bool:
        """Remove the lock; True once it is gone. If the holder does not answer in time, the lock
        is removed by a second command, only while it is still this owner's. If the host is gone,
        the lock stays there (stale) and this says False."""
        proc = self._process
        released = False
        with contextlib.suppress(OSError, asyncssh.Error, TimeoutError, BrokenPipeError):
            proc.stdin.write(b"release\n")
            async with asyncio.timeout(ANSWER_TIMEOUT):
                while True:
                    line = await proc.stdout.readline()
                    if not line or b"RELEASED" in line:
                        released = b"RELEASED" in line
                        break
                proc.stdin.write_eof()
                await proc.wait_closed()
        proc.close()
        return released or await self._release_mine()

    async def _release_mine(self) -> bool:
        if self._pool is None:
            return False
        command = lock_script.release_mine_command(self.spec.name, self.owner.line(), wait=int(ANSWER_TIMEOUT))
        try:
            res = await self._pool.run(self.spec.host, command, timeout=2 * ANSWER_TIMEOUT)
            state, _, _ = _parse(self.spec, decode(res.stdout))
        except Exception as e:  # the host is gone or hostile: the lock stays, and the caller says so
            log.warning("lock %s on %s not released: %s", self.spec.name, self.spec.host, printable(str(e), 200))
            return False
        return state == "RELEASED"


async def acquire(pool: SshPool, spec: LockSpec, owner: LockOwner, *,
                  break_owner: LockOwner | None = None) -> HeldLock:
    """Take the lock or raise :class:`LockBusy`. ``break_owner``: the stale owner the
    engineer confirmed breaking; only a lock held by exactly that owner is broken."""
    command = lock_script.acquire_command(spec.name, owner.line(), break_owner.raw if break_owner else None)
    try:
        conn = await pool.connection(spec.host)
        proc = await asyncio.wait_for(conn.create_process(command, encoding=None), ANSWER_TIMEOUT)
    except HostDown as e:
        raise LockError(f"lock {spec.name}: host {spec.host} is down: {e}") from None
    except (TimeoutError, OSError, asyncssh.Error) as e:
        raise LockError(f"lock {spec.name} on {spec.host}: {printable(str(e) or type(e).__name__, 200)}") from None
    out: list[str] = []
    try:
        async with asyncio.timeout(ANSWER_TIMEOUT):
            while True:
                raw = await proc.stdout.readline()
                if not raw:
                    break
                line = decode(raw).rstrip("\n")
                out.append(line)
                if line.startswith(lock_script.TAG) and line.split()[1:2] in (["ACQUIRED"], ["ERROR"]):
                    break
                if line.startswith(lock_script.TAG) and line.split()[1:2] in (["LIVE"], ["STALE"]):
                    out.append(decode(await proc.stdout.readline()).rstrip("\n"))
                    break
    except (TimeoutError, OSError, asyncssh.Error) as e:
        proc.close()
        raise LockError(f"lock {spec.name} on {spec.host}: no answer ({printable(str(e) or 'timeout', 100)})") \
            from None
    state, seen, states = _parse(spec, "\n".join(out))
    if state == "ACQUIRED":
        broke = break_owner if any(s.startswith("BROKEN") for s in states) else None
        return HeldLock(spec, owner, proc, broke, pool)
    proc.close()
    if state in ("LIVE", "STALE"):
        raise LockBusy(spec, seen, stale=state == "STALE")
    raise LockError(f"lock {spec.name} on {spec.host}: unexpected answer {state}")
