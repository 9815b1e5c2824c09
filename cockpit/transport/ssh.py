"""One persistent asyncssh connection per host, many channels over it.

Failures are split in two:

* :class:`HostDown` - the host cannot be used (unreachable, untrusted host key,
  authentication or configuration error). The pool remembers it and retries
  with jittered backoff; callers get the cached failure meanwhile, at once.
* :class:`ProbeError` - one command failed (timed out, too much output, the
  channel died). The host may be fine.

Remote output is returned as bytes, capped at ``max_bytes``: a host that
prints a gigabyte gets a ProbeError, not the cockpit's memory.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import socket
import time
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import asyncssh

from cockpit.engine.hoststate import Reach
from cockpit.inventory.model import Host
from cockpit.transport import hostkeys
from cockpit.transport.backoff import Backoff
from cockpit.transport.client_files import ClientFiles
from cockpit.transport.errors import HostDown, ProbeError
from cockpit.transport.patience import WALL_CAP, Patience
from cockpit.transport.result import RunResult
from cockpit.transport.shell import NotAnswering, OutputTooLarge, ProbeShell, ShellBroken, open_shell, sh_command

log = logging.getLogger(__name__)

_READ_CHUNK = 65536
CIPHER_PREFERENCE = ("aes128-gcm@openssh.com", "aes256-gcm@openssh.com", "chacha20-poly1305@openssh.com",
                     "aes128-ctr", "aes256-ctr")
_STDERR_CAP = 64 * 1024
_T = TypeVar("_T")


@dataclass
class _Slot:
    host: Host
    conn: asyncssh.SSHClientConnection | None = None
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    backoff: Backoff = field(default_factory=Backoff)
    down: HostDown | None = None
    fingerprint: str | None = None
    connected_at: float | None = None
    shell: ProbeShell | None = None  # the probe shell for run(..., reuse=True) (cockpit.transport.shell)
    shell_opening: bool = False
    keepalive: float = 0.0  # the live connection's keepalive interval (SshPool.sweep_took moves it)


class SshPool:
    def __init__(self, hosts: Iterable[Host], *, accept_new: bool = False,
                 connect_concurrency: int = 32, max_output_bytes: int = 8 * 1024 * 1024,
                 sweep_interval: float = 0.0):
        """``sweep_interval``: how often the cockpit talks to every host anyway (the disk sweep); its
        answers keep a connection known alive, so keepalives are only sent when a sweep is late."""
        self._slots = {h.name: _Slot(h) for h in hosts}
        self._accept_new = accept_new
        self._connecting = asyncio.Semaphore(connect_concurrency)
        self._max_output = max_output_bytes
        self._sweep_interval = max(0.0, sweep_interval)
        self._sweep_length = 0.0  # how long the last disk sweep took (sweep_took)
        self._closed = False
        self.reuse_shells = True  # False: reuse=True is ignored (a bench compares both paths in one run)
        self.connects = 0  # connections opened so far: a reconnect shows here (benchmarks and tests count them)
        self.files = ClientFiles()  # known_hosts and keys, parsed once for all connections

    # -- state -----------------------------------------------------------
    def host(self, name: str) -> Host:
        return self._slot(name).host

    def reach(self, name: str) -> tuple[Reach, str | None]:
        s = self._slot(name)
        if s.down is not None:
            return s.down.reach, str(s.down)
        return (Reach.UP, None) if s.conn is not None else (Reach.PENDING, None)

    def fingerprint(self, name: str) -> str | None:
        return self._slot(name).fingerprint

    @property
    def connections_ended(self) -> int:
        """Connections opened so far that are gone now (dropped as hung, lost, or closed by the host). A
        long-lived cockpit collects them when it has frozen them (screens/gc_freeze.py)."""
        live = sum(1 for s in self._slots.values() if s.conn is not None and not s.conn.is_closed())
        return self.connects - live

    def retry_now(self, name: str | None = None) -> None:
        """Forget backoff so the next call reconnects at once (refresh pressed)."""
        for s in self._slots.values() if name is None else [self._slot(name)]:
            s.backoff.reset()

    # -- commands --------------------------------------------------------
    async def run(self, name: str, command: str, *, timeout: float | None = None,
                  max_bytes: int | None = None, stdin: bytes | None = None, reuse: bool = False,
                  sh: bool = False) -> RunResult:
        """Run ``command`` (already shell-quoted by the caller) on host ``name``.

        ``reuse=True`` (periodic read-only probes that leave no process behind) runs it in the host's
        probe shell, kept open across calls (cockpit.transport.shell): no new SSH session per call. There
        the command is run by a subshell of ``/bin/sh`` (as ``sh -c`` would), not the login shell, and a
        command killed by signal N shows as exit status 128+N. A busy probe shell, or ``stdin``, means a
        new session as without ``reuse``.

        ``sh=True``: ``command`` is a POSIX sh script. A new session runs it with ``exec /bin/sh -c``
        whatever the login shell is; the probe shell runs it as is (it is a ``/bin/sh``): an exec less
        on the host for every probe.
        """
        slot = self._slot(name)
        conn = await self.connection(name)
        deadline = slot.host.command_timeout if timeout is None else timeout
        limit = self._max_output if max_bytes is None else max_bytes
        if reuse and stdin is None and self.reuse_shells:
            shell = await self._probe_shell(slot, conn)
            if shell is not None:
                return await self._run_in_shell(slot, shell, command, deadline, limit)
        if sh:
            command = sh_command(command)
        proc = await self._open_channel(slot, conn, conn.create_process(
            command, encoding=None, stdin=asyncssh.DEVNULL if stdin is None else asyncssh.PIPE))
        try:
            async with Patience(deadline):
                if stdin is not None:
                    # a command that ends without reading its stdin closes the channel: its output and status stand
                    with contextlib.suppress(BrokenPipeError):
                        proc.stdin.write(stdin)
                        proc.stdin.write_eof()
                out, err = await asyncio.gather(_read_capped(proc.stdout, limit),
                                                _read_capped(proc.stderr, _STDERR_CAP, truncate=True))
                await proc.wait_closed()
        except TimeoutError:
            proc.close()
            raise ProbeError(f"command timed out after {deadline:g} s") from None
        except _TooLarge:
            proc.close()
            raise ProbeError(f"output larger than {limit:,} bytes; cut off") from None
        except (asyncssh.Error, OSError) as e:
            proc.close()
            self._drop(slot, None)
            raise ProbeError(f"connection lost during the command: {_describe(e)}") from None
        if proc.exit_signal is not None:
            raise ProbeError(f"command killed by signal {proc.exit_signal[0]}")
        if proc.exit_status is None:
            # A link dropped mid-command: asyncssh returns without an exception.
            self._drop(slot, None)
            raise ProbeError("connection lost during the command (no exit status)")
        return RunResult(exit_status=proc.exit_status, stdout=out, stderr=err)

    async def _open_channel(self, slot: _Slot, conn: asyncssh.SSHClientConnection, opening: Awaitable[_T]) -> _T:
        """Await a new session on ``conn``, the host's connection, its failures sorted as HostDown or ProbeError."""
        try:
            async with Patience(slot.host.connect_timeout):  # a stall of the cockpit's own is not the host's
                return await opening
        except TimeoutError:
            # The connection no longer answers: treat it as a hung host.
            down = HostDown(Reach.UNREACHABLE, "not answering: opening a channel timed out after "
                                               f"{slot.host.connect_timeout:g} s")
            self._drop(slot, down)
            raise down from None
        except asyncssh.ChannelOpenError as e:
            if conn.is_closed():
                # Not the host's answer: asyncssh fails the opening itself ("SSH connection closed") when the
                # connection goes, most often because another command found the host not answering and
                # dropped it. Say what was found then, not that a session was refused.
                found = slot.down
                down = HostDown(found.reach, str(found)) if found is not None else HostDown(
                    Reach.UNREACHABLE, f"connection lost: {_describe(e)}")
                self._drop(slot, None if found is not None else down, only=conn)
                raise down from None
            # The host answered and said no to one more session (sshd's MaxSessions, 10 by default): the
            # connection and what runs over it (held locks, MySQL tunnels, copies) stay; only this command fails.
            raise ProbeError(f"the host refused a new SSH session ({_describe(e)}; sshd MaxSessions?)") from None
        except (asyncssh.Error, OSError) as e:
            down = HostDown(Reach.UNREACHABLE, f"connection lost: {_describe(e)}")
            self._drop(slot, down)
            raise down from None

    async def _probe_shell(self, slot: _Slot, conn: asyncssh.SSHClientConnection) -> ProbeShell | None:
        """The host's idle probe shell, opened when there is none; None while it is busy (or opening)."""
        shell = slot.shell
        if shell is not None:
            if shell.usable(conn):
                return shell
            if shell.busy and not shell.broken and shell.conn is conn:
                return None
            shell.close()  # broken, ended, or left from an older connection: never reused
            slot.shell = None
        if slot.shell_opening:
            return None
        slot.shell_opening = True
        try:
            shell = await self._open_channel(slot, conn, open_shell(conn))
        finally:
            slot.shell_opening = False
        slot.shell = shell
        return shell

    async def _run_in_shell(self, slot: _Slot, shell: ProbeShell, command: str, deadline: float,
                            limit: int) -> RunResult:
        """Run in the probe shell; on any failure the shell is closed (by ProbeShell.run) and forgotten."""
        try:
            async with Patience(deadline):
                return await shell.run(command, limit=limit, stderr_cap=_STDERR_CAP,
                                       answer_timeout=slot.host.connect_timeout)
        except NotAnswering:
            # as when a new session cannot be opened: the connection no longer answers, a hung host
            down = HostDown(Reach.UNREACHABLE, "not answering: no reply to a command within "
                                               f"{slot.host.connect_timeout:g} s")
            self._drop(slot, down, only=shell.conn)
            raise down from None
        except TimeoutError:
            raise ProbeError(f"command timed out after {deadline:g} s") from None
        except OutputTooLarge:
            raise ProbeError(f"output larger than {limit:,} bytes; cut off") from None
        except ShellBroken as e:
            if shell.conn.is_closed():  # the connection went (link down, sshd killed): the shell with it
                self._drop(slot, None, only=shell.conn)
                raise ProbeError("connection lost during the command") from None
            raise ProbeError(f"probe shell failed: {e}") from None
        except (asyncssh.Error, OSError) as e:
            self._drop(slot, None, only=shell.conn)
            raise ProbeError(f"connection lost during the command: {_describe(e)}") from None
        finally:
            if shell.broken and slot.shell is shell:
                slot.shell = None

    async def connection(self, name: str) -> asyncssh.SSHClientConnection:
        """The host's live connection, connecting (once, shared) when needed."""
        slot = self._slot(name)
        if slot.conn is not None and not slot.conn.is_closed():
            return slot.conn
        async with slot.lock:
            if slot.conn is not None and not slot.conn.is_closed():
                return slot.conn
            if slot.down is not None and slot.backoff.wait_left() > 0:
                # a new exception each time: raising the stored one again adds this call's frames to its traceback
                # and keeps them (and their locals) alive until the next connection attempt replaces it
                raise HostDown(slot.down.reach, str(slot.down))
            try:
                async with self._connecting:
                    slot.conn = await self._connect(slot)
            except HostDown as e:
                slot.conn = None
                slot.down = e
                slot.backoff.failed()
                raise
            slot.down = None
            slot.backoff.succeeded()
            slot.connected_at = time.monotonic()
            slot.fingerprint = hostkeys.fingerprint(slot.conn.get_server_host_key())
            return slot.conn

    async def close(self) -> None:
        self._closed = True
        for s in self._slots.values():
            if s.conn is not None:
                s.conn.close()
        for s in self._slots.values():
            if s.conn is not None:
                with contextlib.suppress(TimeoutError, OSError, asyncssh.Error):
                    await asyncio.wait_for(s.conn.wait_closed(), 1.0)
                s.conn = None
            s.shell = None

    # -- host keys -------------------------------------------------------
    async def fetch_host_key(self, name: str) -> asyncssh.SSHKey:
        """Ask the host for its key without trusting it (to show a fingerprint)."""
        slot = self._slot(name)
        h = slot.host
        try:
            key = await asyncio.wait_for(
                asyncssh.get_server_host_key(h.address, h.ssh_port or (), config=()),
                h.connect_timeout)
        except (TimeoutError, OSError, asyncssh.Error) as e:
            raise HostDown(Reach.UNREACHABLE, f"cannot fetch the host key: {_describe(e)}") from None
        if key is None:
            raise HostDown(Reach.ERROR, "the host presented no host key")
        return key

    def trust_host_key(self, name: str, key: asyncssh.SSHKey) -> None:
        """Record ``key`` for the host, replacing any old one (operator-confirmed)."""
        slot = self._slot(name)
        h = slot.host
        hostkeys.record_key(self._known_hosts_path(h), h.address, h.ssh_port or 22, key, replace=True)
        slot.down = None
        slot.backoff.reset()

    # -- internals -------------------------------------------------------
    def _slot(self, name: str) -> _Slot:
        try:
            return self._slots[name]
        except KeyError:
            raise HostDown(Reach.ERROR, f"unknown host {name!r}") from None

    def _drop(self, slot: _Slot, down: HostDown | None, *,
              only: asyncssh.SSHClientConnection | None = None) -> None:
        """Abort the host's connection (``only``: if it is still that one, not a newer one)."""
        if only is not None and slot.conn is not only:
            return
        if slot.conn is not None:
            slot.conn.abort()
        slot.conn = None
        if slot.shell is not None:
            slot.shell.close()
            slot.shell = None
        if down is not None:
            slot.down = down
            slot.backoff.failed()

    def _keepalive_interval(self, h: Host) -> float:
        """A host answers every sweep: about every sweep interval plus a sweep's length (~17 s at 1,000 hosts,
        where keepalives every connect_timeout + interval went out twice a sweep to every host)."""
        return max(2.0, h.connect_timeout + self._sweep_interval + self._sweep_length)

    def sweep_took(self, seconds: float) -> None:
        """A disk sweep just ended after ``seconds``: live connections' keepalives follow its length,
        moved only when it changed by more than a fifth (a sweep or two of jitter moves nothing)."""
        self._sweep_length = max(0.0, seconds)
        for slot in self._slots.values():
            conn = slot.conn
            if conn is None or conn.is_closed():
                continue
            want = self._keepalive_interval(slot.host)
            if abs(want - slot.keepalive) > 0.2 * slot.keepalive:
                conn.set_keepalive(want)
                slot.keepalive = want

    @staticmethod
    def _known_hosts_path(h: Host) -> Path:
        return Path(h.known_hosts).expanduser() if h.known_hosts else hostkeys.default_known_hosts()

    def _options(self, h: Host) -> dict[str, Any]:
        khp = self._known_hosts_path(h)
        opts: dict[str, Any] = {
            # No file yet (a fresh account): nothing is trusted, so every key is "unknown", never accepted.
            "known_hosts": self.files.known_hosts(khp) if khp.exists() else ([], [], []),
            "connect_timeout": (h.connect_timeout + 1) * WALL_CAP,
            "login_timeout": (h.connect_timeout + 1) * WALL_CAP,
            # A keepalive every connect_timeout went out just before most sweeps' answers (5 s each):
            # a tenth of an idle wallboard's CPU, for nothing the sweep does not learn anyway.
            "keepalive_interval": self._keepalive_interval(h),
            "keepalive_count_max": 3,
            # AES-GCM first: one AES-NI call per packet where chacha20-poly1305 takes two in Python;
            # it halves the cipher's CPU on MySQL tunnels that carry thousands of small statements.
            "encryption_algs": CIPHER_PREFERENCE,
        }
        if h.ssh_port is not None:
            opts["port"] = h.ssh_port
        if h.ssh_user is not None:
            opts["username"] = h.ssh_user
        if h.identity_file is not None:
            opts["client_keys"] = self.files.client_keys(Path(h.identity_file).expanduser())
        return opts

    async def _connect(self, slot: _Slot) -> asyncssh.SSHClientConnection:
        h = slot.host
        port = h.ssh_port or 22
        khp = self._known_hosts_path(h)
        if self._accept_new and not hostkeys.known_keys(khp, h.address, port):
            key = await self.fetch_host_key(h.name)
            hostkeys.record_key(khp, h.address, port, key, replace=False)
            log.info("accepted new host key for %s: %s", h.name, hostkeys.fingerprint(key))
        try:
            opts = self._options(h)
            slot.keepalive = opts["keepalive_interval"]
            # asyncssh's own connect and login timeouts are plain timers: they stay back (the cap of the
            # Patience around them), and this limit, which does not charge the cockpit's own stalls, decides
            async with Patience(h.connect_timeout + 1):
                conn = await asyncssh.connect(h.address, **opts)
            self.connects += 1
            return conn
        except asyncssh.HostKeyNotVerifiable:
            if hostkeys.known_keys(khp, h.address, port):
                msg = (f"host key CHANGED (not the one in {khp}); nothing runs until an "
                       "operator accepts the new key")
            else:
                msg = f"unknown host key (not in {khp}); use --accept-new or accept it in host detail"
            raise HostDown(Reach.UNTRUSTED, msg) from None
        except asyncssh.PermissionDenied:
            user = h.ssh_user or "(ssh config / local user)"
            raise HostDown(Reach.ERROR, f"authentication failed for user {user}") from None
        except TimeoutError:
            raise HostDown(Reach.UNREACHABLE,
                           f"connect timed out after {h.connect_timeout:g} s") from None
        except socket.gaierror as e:
            raise HostDown(Reach.ERROR, f"cannot resolve {h.address}: {e.strerror}") from None
        except (FileNotFoundError, asyncssh.KeyImportError, ValueError) as e:
            raise HostDown(Reach.ERROR, f"SSH configuration: {_describe(e)}") from None
        except (OSError, asyncssh.Error) as e:
            raise HostDown(Reach.UNREACHABLE, _describe(e)) from None


class _TooLarge(Exception):
    pass


async def _read_capped(stream: asyncssh.SSHReader[bytes], limit: int, *,
                       truncate: bool = False) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        data = await stream.read(_READ_CHUNK)
        if not data:
            return b"".join(chunks)
        total += len(data)
        if total > limit:
            if not truncate:
                raise _TooLarge
            continue  # keep draining so the channel does not stall, but keep nothing more
        chunks.append(data)


def _describe(e: BaseException) -> str:
    if isinstance(e, ConnectionRefusedError):
        return "connection refused (sshd not running?)"
    if isinstance(e, OSError) and e.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH):
        return f"no route to host ({e.strerror})"
    if isinstance(e, OSError) and e.strerror:
        return f"{e.filename}: {e.strerror}" if e.filename else e.strerror
    if isinstance(e, asyncssh.DisconnectError):
        return e.reason or type(e).__name__
    text = str(e) or type(e).__name__
    return text.splitlines()[0][:200]
