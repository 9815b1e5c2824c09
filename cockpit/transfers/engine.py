"""The transfers engine: start, watch, reattach, resume, cancel and verify imports.

API (every action goes through the engine's ActionGate first, and is audited)::

    t = engine.transfers                       # Transfers(inventory, pool, gate)
    await t.poll()                             # -> {key: ImportStatus}; one command per destination host
    t.rows()                                   # every importable site's import (NOT_STARTED when none)
    await t.start("acme")                      # -> ActionResult; idempotent: a running import is shown, not doubled
    await t.resume("acme")                     # a failed, stopped or unverified import, with --partial
    await t.cancel("acme")                     # SIGTERM the recorded rsync pid (never by name)
    await t.verify("acme")                     # rsync --checksum --dry-run --itemize-changes, detached

``destination=`` picks another host than the site's standby (or its host).
Keys are ``site@destination-host``. Failures to act raise :class:`TransferError`
(a message for the operator); a read-only cockpit raises ``ReadOnlyRefused``.
Nothing is tracked only in memory: the destination's state directory is the
truth, so a restarted cockpit finds running imports and reattaches.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from cockpit import clock, paths
from cockpit.audit.log import Actor, AuditLog
from cockpit.engine.gate import ActionGate
from cockpit.engine.statefile import StateFile
from cockpit.inventory.model import Inventory
from cockpit.timeline.store import Timeline
from cockpit.transfers import remote
from cockpit.transfers.classify import classify
from cockpit.transfers.dump import Dump, parse_dump
from cockpit.transfers.model import ImportStatus, TransferState
from cockpit.transfers.plan import ImportPlan, PlanError, candidate_destinations, import_key, plan_import
from cockpit.transfers.timeline_facts import import_observations
from cockpit.transport.errors import HostDown, ProbeError
from cockpit.transport.ssh import SshPool
from cockpit.untrusted import printable

log = logging.getLogger(__name__)

MAX_DUMP = 16 * 1024 * 1024
OBSERVED = {TransferState.FAILED: "import-failed", TransferState.VERIFIED: "import-verified",
            TransferState.UNVERIFIED: "import-unverified", TransferState.STALLED: "import-stalled"}


class TransferError(Exception):
    """An import action could not be done (a one-line message naming site and host)."""


@dataclass(frozen=True)
class ActionResult:
    done: bool  # False: nothing needed doing (e.g. already running)
    message: str
    status: ImportStatus | None


class Transfers:
    def __init__(self, inventory: Inventory, pool: SshPool, gate: ActionGate, *,
                 audit: AuditLog | Callable[[], AuditLog] | None = None, state: StateFile | None = None,
                 timeline: Timeline | None = None):
        self.inventory = inventory
        self.timeline = timeline
        self.pool = pool
        self.gate = gate
        self._audit = audit
        self._state = state
        self.imports: dict[str, ImportStatus] = {}
        self.host_errors: dict[str, str] = {}
        self.polled_at: datetime | None = None
        self._bounds: dict[str, tuple[str | None, tuple[int | None, int | None]]] = {}
        self._lock = asyncio.Lock()
        self._observed: dict[str, str] | None = None

    # -- reading -------------------------------------------------------------------
    @property
    def configured(self) -> bool:
        """Some site has a storage directory: there is something to watch."""
        return bool(candidate_destinations(self.inventory))

    async def poll(self) -> dict[str, ImportStatus]:
        """Read every import's state from every candidate destination host at once."""
        async with self._lock:
            hosts = candidate_destinations(self.inventory)
            results = await asyncio.gather(*(self._poll_host(h) for h in hosts))
            for host, found in zip(hosts, results, strict=True):
                if found is None:
                    continue
                for key in [k for k, s in self.imports.items() if s.destination_host == host and k not in found]:
                    del self.imports[key]  # its state directory is gone
                self.imports.update(found)
            self.polled_at = clock.now()
            self._record_observations()
            if self.timeline is not None:
                await asyncio.to_thread(self.timeline.observe_many, import_observations(self.imports.values()))
            return dict(self.imports)

    def rows(self) -> list[ImportStatus]:
        """Every import known, plus a NOT_STARTED row for each importable site with none."""
        out = list(self.imports.values())
        have = {s.site for s in out}
        for site in self.inventory.sites:
            if site.storage is None or site.name in have:
                continue
            try:
                plan = plan_import(self.inventory, site.name)
            except PlanError as e:
                out.append(ImportStatus(key=import_key(site.name, site.standby or site.host), site=site.name,
                                        source="?", destination=f"{site.standby or site.host}:{site.storage}",
                                        destination_host=site.standby or site.host,
                                        state=TransferState.NOT_STARTED, reason=str(e)))
                continue
            err = self.host_errors.get(plan.destination_host)
            out.append(ImportStatus(key=plan.key, site=site.name, source=plan.source_label,
                                    destination=plan.destination_label, destination_host=plan.destination_host,
                                    state=TransferState.UNKNOWN if err else TransferState.NOT_STARTED,
                                    error=err))
        return out

    def status_of(self, site: str, destination: str | None = None) -> ImportStatus | None:
        key = import_key(site, destination) if destination else None
        for s in self.imports.values():
            if s.key == key or (key is None and s.site == site):
                return s
        return None

    # -- actions ---------------------------------------------------------------------
    async def start(self, site: str, destination: str | None = None) -> ActionResult:
        """Start the import (idempotent: if it runs already, say so and change nothing)."""
        return await self._launch("import-start", site, destination, resume=False)

    async def resume(self, site: str, destination: str | None = None) -> ActionResult:
        """Run a failed, stopped or unverified import again: rsync skips what is
        there and ``--partial`` keeps half-copied big files. Never deletes."""
        return await self._launch("import-resume", site, destination, resume=True)

    async def verify(self, site: str, destination: str | None = None) -> ActionResult:
        plan = self._plan(site, destination)
        self.gate.check("import-verify", plan.key)
        current = await self._read_one(plan)
        if current is not None and current.active:
            return ActionResult(False, f"{plan.key} is {current.state.value}; verify when it has finished", current)
        if current is None:
            raise TransferError(f"{plan.key}: there is no import to verify")
        out = await self._run(plan.destination_host, remote.start_command(plan, "verify"),
                              stdin=b"\n" + remote.job_script(plan).encode())
        result = self._start_reply(plan, out, "verification")
        self._record("import-verify", plan, result=result.message)
        return replace(result, status=await self._read_one(plan))

    async def cancel(self, site: str, destination: str | None = None) -> ActionResult:
        plan = self._plan(site, destination)
        self.gate.check("import-cancel", plan.key)
        out = await self._run(plan.destination_host, remote.cancel_command(plan, str(Actor.current())))
        lines = [ln for ln in out.decode("utf-8", "replace").splitlines() if ln.startswith("@@cancel:")]
        sent = [ln.split()[1:] for ln in lines if ln.startswith("@@cancel:sent")]
        if any(ln.startswith("@@cancel:error") for ln in lines):
            raise TransferError(f"{plan.key}: {printable(lines[0].partition(' ')[2])}")
        if not sent:
            return ActionResult(False, f"{plan.key}: nothing is running, nothing to cancel", await self._read_one(plan))
        pids = ", ".join(f"{'verification' if f == 'verify.pid' else 'rsync'} pid {p}" for f, p in sent)
        self._record("import-cancel", plan, signalled=pids)
        return ActionResult(True, f"{plan.key}: sent SIGTERM to {pids}", await self._read_one(plan))

    # -- internals -----------------------------------------------------------------------
    def _plan(self, site: str, destination: str | None, *, resume: bool = False) -> ImportPlan:
        try:
            return plan_import(self.inventory, site, destination, resume=resume)
        except PlanError as e:
            raise TransferError(str(e)) from None

    async def _launch(self, action: str, site: str, destination: str | None, *, resume: bool) -> ActionResult:
        plan = self._plan(site, destination, resume=resume)  # a resume never deletes (no --delete)
        self.gate.check(action, plan.key)
        current = await self._read_one(plan)
        if current is not None and current.active:
            return ActionResult(False, f"{plan.key} is already {current.state.value} "
                                       f"(started {clock.iso(current.started_at) or 'earlier'})", current)
        if resume and current is None:
            raise TransferError(f"{plan.key}: there is no import to resume; start it first")
        if resume and current is not None and current.state is TransferState.VERIFIED:
            return ActionResult(False, f"{plan.key} is verified; nothing to resume", current)
        now = clock.now()
        meta = {
            "run": secrets.token_hex(6), "site": plan.site, "kind": "resume" if resume else "start",
            "source": plan.source_label, "destination": plan.destination_label,
            "started_at": clock.iso(now), "started_by": str(Actor.current()),
            "first_started_at": clock.iso(current.started_at) if resume and current and current.started_at
            else clock.iso(now),
            "resumes": (current.resumes + 1) if resume and current is not None else 0,
            "args": list(plan.import_args),
        }
        payload = json.dumps(meta, ensure_ascii=True).encode() + b"\n" + remote.job_script(plan).encode()
        out = await self._run(plan.destination_host, remote.start_command(plan, "import"), stdin=payload)
        result = self._start_reply(plan, out, "import")
        if result.done:
            self._record(action, plan, run=meta["run"], source=plan.source_label,
                         destination=plan.destination_label, args=list(plan.import_args))
        self._bounds.pop(plan.key, None)
        return replace(result, status=await self._read_one(plan))

    def _start_reply(self, plan: ImportPlan, out: bytes, what: str) -> ActionResult:
        line = next((ln for ln in out.decode("utf-8", "replace").splitlines() if ln.startswith("@@start:")), "")
        word, _, rest = line.removeprefix("@@start:").partition(" ")
        if word == "started":
            return ActionResult(True, f"{plan.key}: {what} started on {plan.destination_host} (job pid {rest})", None)
        if word == "running":
            return ActionResult(False, f"{plan.key}: already running on {plan.destination_host} (job pid {rest})",
                                None)
        detail = printable(rest) if word == "error" else "no answer from the start command"
        raise TransferError(f"{plan.key}: could not start the {what} on {plan.destination_host}: {detail}")

    async def _run(self, host: str, command: str, stdin: bytes | None = None) -> bytes:
        try:
            r = await self.pool.run(host, command, stdin=stdin, max_bytes=MAX_DUMP)
        except (HostDown, ProbeError) as e:
            raise TransferError(f"{host}: {printable(str(e))}") from None
        if r.exit_status != 0:
            err = printable(r.stderr.decode("utf-8", "replace").strip().splitlines()[-1:][0]
                            if r.stderr.strip() else f"exit status {r.exit_status}")
            raise TransferError(f"{host}: the command failed: {err}")
        return r.stdout

    async def _read_one(self, plan: ImportPlan) -> ImportStatus | None:
        nonce = secrets.token_hex(8)
        out = await self._run(plan.destination_host,
                              remote.status_command(self.inventory.storage.state_dir, nonce, [plan.site]))
        dump = parse_dump(out, nonce)
        statuses = self._classify(plan.destination_host, dump)
        status = statuses.get(plan.key)
        if status is not None:
            self.imports[plan.key] = status
        return status

    async def _poll_host(self, host: str) -> dict[str, ImportStatus] | None:
        nonce = secrets.token_hex(8)
        h = self.inventory.host(host)
        try:
            # read-only and leaves no process: the host's probe shell, not a new SSH session per poll
            r = await self.pool.run(host, remote.status_command(self.inventory.storage.state_dir, nonce),
                                    timeout=h.command_timeout, max_bytes=MAX_DUMP, reuse=True)
        except (HostDown, ProbeError) as e:
            self._host_failed(host, f"{host}: {printable(str(e))}")
            return None
        dump = parse_dump(r.stdout, nonce)
        if not dump.complete:
            self._host_failed(host, f"{host}: the import state listing was cut off")
            return None
        self.host_errors.pop(host, None)
        return self._classify(host, dump)

    def _host_failed(self, host: str, message: str) -> None:
        self.host_errors[host] = message
        for key, s in self.imports.items():
            if s.destination_host == host:
                self.imports[key] = replace(s, error=message)

    def _classify(self, host: str, dump: Dump) -> dict[str, ImportStatus]:
        out: dict[str, ImportStatus] = {}
        stall = self.inventory.storage.stall_seconds
        for raw in dump.imports.values():
            key = import_key(raw.site, host)
            prev_run, bounds = self._bounds.get(key, (None, (None, None)))
            status = classify(raw, now=dump.now, stall_seconds=stall, key=key, destination_host=host,
                              bounds=bounds if prev_run is not None else (None, None))
            if prev_run is not None and prev_run != status.run:
                status = classify(raw, now=dump.now, stall_seconds=stall, key=key, destination_host=host)
            self._bounds[key] = (status.run, status.bytes_total_bounds)
            out[key] = status
        return out

    # -- audit ---------------------------------------------------------------------------
    def _audit_log(self) -> AuditLog | None:
        if self._audit is None:
            self._audit = AuditLog(paths.audit_path(self.inventory))
        if callable(self._audit) and not isinstance(self._audit, AuditLog):
            self._audit = self._audit()
        return self._audit

    def _record(self, kind: str, plan: ImportPlan, **fields: object) -> None:
        try:
            audit = self._audit_log()
            if audit is not None:
                audit.record(kind, target=plan.key, site=plan.site, host=plan.destination_host, **fields)
        except OSError as e:
            log.warning("cannot write the audit record %s for %s: %s", kind, plan.key, e)

    def _state_file(self) -> StateFile:
        if self._state is None:
            self._state = StateFile(paths.state_dir(self.inventory) / "state.json")
        return self._state

    def _happened_at(self, s: ImportStatus) -> str | None:
        """When the host says the event happened (a cockpit may see it much later): the exit of
        rsync or of its verification, or for a stall its last progress plus the stall threshold."""
        if s.updated_at is None:
            return None
        if s.state is TransferState.STALLED:
            return clock.iso(s.updated_at + timedelta(seconds=self.inventory.storage.stall_seconds))
        return clock.iso(s.updated_at)

    def _record_observations(self) -> None:
        """Audit each run's failure, stall and verification once, across restarts
        (remembered in the engine's state file), with the time it happened on the
        host as well as the time it was seen. A read-only cockpit only watches."""
        if self.gate.read_only:
            return
        news = []
        for s in self.imports.values():
            kind = OBSERVED.get(s.state)
            if kind is None or s.run is None or s.error is not None:
                continue
            mark = f"{s.run}:{kind}"
            if self._observed is None:
                try:
                    self._observed = dict(self._state_file().section("transfers_audited"))
                except OSError:
                    self._observed = {}
            if self._observed.get(s.key) == mark:
                continue
            self._observed[s.key] = mark
            news.append((kind, s))
        if not news:
            return
        for kind, s in news:
            try:
                audit = self._audit_log()
                if audit is not None:
                    audit.record(kind, target=s.key, site=s.site, host=s.destination_host, run=s.run,
                                 exit_code=s.exit_code, reason=s.reason, happened_at=self._happened_at(s))
            except OSError as e:
                log.warning("cannot write the audit record %s for %s: %s", kind, s.key, e)
        observed = dict(self._observed or {})
        try:
            self._state_file().update(lambda st: st.__setitem__("transfers_audited", observed))
        except OSError as e:
            log.warning("cannot remember audited import events: %s", e)

