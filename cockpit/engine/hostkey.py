"""Accepting a host's new SSH key: an operator's decision, never a silent one.

A host whose key changed (or was never known) is ``untrusted``: the transport
refuses to connect, so nothing runs on it. :func:`offer` asks the host for the
key it presents now, without trusting it, for a confirm screen to show with
the key known_hosts trusts today. :func:`accept` records exactly the key the
operator saw (if the host presents another one meanwhile, nothing is
accepted), behind the read-only gate, writes an audit record and probes the
host again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import asyncssh

from cockpit.audit.log import AuditLog
from cockpit.engine.hoststate import HostState, Reach
from cockpit.paths import audit_path
from cockpit.transport import hostkeys

if TYPE_CHECKING:
    from cockpit.engine.engine import Engine

ACTION = "accept-host-key"  # the gate's and the audit's name for it


class HostKeyError(Exception):
    """The key cannot be accepted (the host is trusted, or its key moved on)."""


@dataclass(frozen=True)
class KeyOffer:
    host: str
    address: str
    fingerprint: str  # the key the host presents now (SHA256:...)
    trusted: tuple[str, ...]  # what known_hosts trusts for it today (empty: never known)
    known_hosts: str  # the file accepting writes to
    key: asyncssh.SSHKey = field(repr=False, compare=False)

    @property
    def changed(self) -> bool:
        return bool(self.trusted)


def _known_hosts(engine: Engine, host: str) -> Path:
    h = engine.inventory.host(host)
    return Path(h.known_hosts).expanduser() if h.known_hosts else hostkeys.default_known_hosts()


def _trusted(engine: Engine, host: str) -> tuple[str, ...]:
    h = engine.inventory.host(host)
    keys = hostkeys.known_keys(_known_hosts(engine, host), h.address, h.ssh_port or 22)
    return tuple(fp for fp in (hostkeys.fingerprint(k) for k in keys) if fp)


async def offer(engine: Engine, host: str) -> KeyOffer:
    """The key ``host`` presents now, for the operator to compare (read-only refuses
    at once: a cockpit that cannot accept does not offer)."""
    engine.gate.check(ACTION, host)
    state = engine.hosts.get(host)
    if state is None or state.reach is not Reach.UNTRUSTED:
        raise HostKeyError(f"{host}: its host key is not in question (state {state.reach if state else 'unknown'})")
    key = await engine.pool.fetch_host_key(host)  # HostDown: unreachable now
    fp = hostkeys.fingerprint(key) or "?"
    return KeyOffer(host=host, address=engine.inventory.host(host).address, fingerprint=fp,
                    trusted=_trusted(engine, host), known_hosts=str(_known_hosts(engine, host)), key=key)


async def accept(engine: Engine, shown: KeyOffer) -> HostState:
    """Trust the key the operator was shown, audit it, and probe the host again."""
    engine.gate.check(ACTION, shown.host)
    now = hostkeys.fingerprint(await engine.pool.fetch_host_key(shown.host))
    if now != shown.fingerprint:
        raise HostKeyError(f"{shown.host} now presents {now}, not the key shown ({shown.fingerprint}); "
                           "nothing was accepted")
    engine.pool.trust_host_key(shown.host, shown.key)
    AuditLog(audit_path(engine.inventory)).record(
        "host-key-accepted", host=shown.host, address=shown.address, fingerprint=shown.fingerprint,
        replaced=list(shown.trusted), known_hosts=shown.known_hosts)
    return await engine.sweep_host(shown.host)
