"""One long-lived ``/bin/sh`` per host for periodic probes (``SshPool.run(..., reuse=True)``).

A new SSH session per probe costs both ends on every sweep: the client opens
and closes a channel (~10 packets, each sealed and parsed in Python: most of
an idle wallboard's CPU), and the host's sshd forks, sets up the session and
starts the user's login shell. A probe shell pays that once per connection;
each command after that is one write and its output.

Framing: the command is written to the shell's stdin as one line::

    printf '%s\\n' B; printf '%s\\n' B >&2; ( eval 'COMMAND' ) </dev/null; r=$?;
    printf '\\n%s %03d\\n' E $r; printf '\\n%s %03d\\n' E $r >&2

``B`` and ``E`` carry a random nonce, new for every command, so output from the
host cannot forge a boundary (it never sees the nonce before the command ends).
Each stream must start with the begin line and end right after the end line.
The command runs in a subshell of this ``/bin/sh`` (not the login shell), as
``/bin/sh -c`` would run it but without starting another shell (a fork, no
exec: the host's CPU on every probe), with stdin from /dev/null: it cannot
read the next command's text, and what it sets or defines (variables,
functions, ``cd``, ``exit``) ends with it. One difference from ``sh -c``:
``$$`` is the probe shell's pid.

On ANY anomaly (timeout, oversized output, a missing or misplaced marker,
anything printed between commands, the channel closing) the shell is closed and
never reused: the next probe opens a new one. Output limits are those of a new
session (``max_bytes`` on stdout is an error; stderr is cut and drained).
"""

from __future__ import annotations

import asyncio
import secrets
import shlex

import asyncssh

from cockpit.transport.patience import Patience
from cockpit.transport.result import RunResult

_READ_CHUNK = 65536
_RC_DIGITS = 3  # printf %03d: the end line has a fixed length, so it can be matched before it is complete


class ShellBroken(Exception):
    """The shell's framing failed; the shell is closed and must not be used again."""


class OutputTooLarge(Exception):
    """Stdout went past the caller's ``max_bytes``; the shell is closed."""


class NotAnswering(Exception):
    """Not even the begin marker (printed by the shell itself, at once) came back: the host hangs."""


class ProbeShell:
    """A ``/bin/sh`` on one SSH connection that runs one command at a time."""

    def __init__(self, conn: asyncssh.SSHClientConnection, proc: asyncssh.SSHClientProcess[bytes]):
        self.conn = conn
        self._proc = proc
        self.busy = False
        self.broken = False
        self.commands = 0  # commands run so far (tests check reuse with it)

    @staticmethod
    def start_command() -> str:
        """What the login shell is asked to run: replace itself with a plain POSIX shell."""
        return "exec /bin/sh"

    def usable(self, conn: asyncssh.SSHClientConnection) -> bool:
        """Idle, healthy, on ``conn`` (the host's live connection), and the host has not closed it."""
        if self.broken or self.busy or self.conn is not conn or conn.is_closed():
            return False
        if self._proc.exit_status is not None or self._proc.exit_signal is not None or self._proc.is_closing():
            self.close()  # the shell ended between commands (killed on the host): never reuse it
            return False
        return True

    def close(self) -> None:
        self.broken = True
        self._proc.close()

    async def run(self, command: str, *, limit: int, stderr_cap: int, answer_timeout: float) -> RunResult:
        """Run ``command``; the caller holds the command's timeout. Any exception closes the shell.

        The begin marker must come back within ``answer_timeout`` (:class:`NotAnswering`): the same
        budget as opening a new session, so a host that hangs between sweeps is seen as fast."""
        if self.broken or self.busy:
            raise ShellBroken("the probe shell is not free")
        self.busy = True
        try:
            result = await self._run(command, limit, stderr_cap, answer_timeout)
        except BaseException:
            self.close()
            raise
        finally:
            self.busy = False
        self.commands += 1
        return result

    async def _run(self, command: str, limit: int, stderr_cap: int, answer_timeout: float) -> RunResult:
        mark = f"@@cockpit-shell:{secrets.token_hex(16)}"
        begin, end = f"{mark}:begin\n".encode(), f"\n{mark}:end ".encode()
        b, e = shlex.quote(f"{mark}:begin"), shlex.quote(f"{mark}:end")
        line = (f"printf '%s\\n' {b}; printf '%s\\n' {b} >&2; ( eval {shlex.quote(command)} ) </dev/null; r=$?; "
                f"printf '\\n%s %03d\\n' {e} $r; printf '\\n%s %03d\\n' {e} $r >&2\n")
        try:
            self._proc.stdin.write(line.encode())
        except (BrokenPipeError, ConnectionError) as exc:
            raise ShellBroken("the probe shell's input is closed") from exc
        # stderr in a task of its own; stdout here: no task, event or wait per command for the begin marker
        # (a wallboard runs ~10 probes a second, and that machinery was a tenth of each one's CPU)
        err_task = asyncio.ensure_future(read_framed(self._proc.stderr, begin, end, stderr_cap, truncate=True))
        try:
            try:
                # charged by the host's time, not the cockpit's own stalls: a busy TUI is not a hung host
                async with Patience(answer_timeout):
                    head = await read_begin(self._proc.stdout, begin)
            except TimeoutError:
                raise NotAnswering from None
            out, rc = await read_framed(self._proc.stdout, begin, end, limit, head=head)
            err, rc_err = await err_task
        finally:
            if not err_task.done():  # stdout failed (or the caller gave up): the stderr reader stops too
                err_task.cancel()
            elif not err_task.cancelled():
                err_task.exception()  # retrieved: no "exception never retrieved" noise when stdout failed first
        if rc != rc_err:
            raise ShellBroken("the probe shell's two end markers disagree")
        return RunResult(exit_status=rc, stdout=out, stderr=err)


async def read_begin(stream: asyncssh.SSHReader[bytes], begin: bytes) -> bytes:
    """Read up to and including ``begin``, which must come first; returns what followed it in the same reads."""
    pending = bytearray()
    while len(pending) < len(begin):
        data = await stream.read(_READ_CHUNK)
        if not data:
            raise ShellBroken("the probe shell's output ended before the command's end marker")
        pending += data
        if not begin.startswith(pending[:len(begin)]):
            raise ShellBroken("unexpected output before the command's begin marker")
    return bytes(pending[len(begin):])


async def read_framed(stream: asyncssh.SSHReader[bytes], begin: bytes, end: bytes, limit: int, *,
                      truncate: bool = False, head: bytes | None = None) -> tuple[bytes, int]:
    """The body between ``begin`` (at the very start) and ``end`` + 3-digit status + newline (at the very end).

    ``head``: the begin marker was read already (:func:`read_begin`), and these bytes came after it.
    More than ``limit`` bytes of body: :class:`OutputTooLarge`, or with ``truncate`` the first ``limit``
    bytes are kept and the rest drained. Anything else unexpected: :class:`ShellBroken`.
    """
    kept = bytearray()  # the body so far, up to limit
    # bytes not yet known to be body: they may hold the start of the end marker
    pending = bytearray(await read_begin(stream, begin) if head is None else head)
    whole = len(end) + _RC_DIGITS + 1
    while True:
        at = pending.find(end)
        if at >= 0 and len(pending) >= at + whole:
            tail = bytes(pending[at + len(end):])
            if len(tail) != _RC_DIGITS + 1 or not tail[:_RC_DIGITS].isdigit() or tail[-1:] != b"\n":
                raise ShellBroken("unexpected output after the command's end marker")
            _keep(kept, pending[:at], limit, truncate)
            return bytes(kept), int(tail[:_RC_DIGITS])
        if at < 0:
            settled = len(pending) - (len(end) - 1)  # these bytes cannot be part of an end marker
            if settled > 0:
                _keep(kept, pending[:settled], limit, truncate)
                del pending[:settled]
        data = await stream.read(_READ_CHUNK)
        if not data:
            raise ShellBroken("the probe shell's output ended before the command's end marker")
        pending += data


def _keep(kept: bytearray, body: bytes | bytearray, limit: int, truncate: bool) -> None:
    room = limit - len(kept)
    if len(body) > room:
        if not truncate:
            raise OutputTooLarge
        body = body[:max(0, room)]
    kept += body


def sh_command(script: str) -> str:
    """A POSIX sh ``script`` as a command any login shell runs (bash, zsh, csh): ``exec /bin/sh -c 'SCRIPT'``.

    The probe shell is a ``/bin/sh`` already and runs such a script as is (``SshPool.run(..., sh=True)``)."""
    return "exec /bin/sh -c " + shlex.quote(script)


async def open_shell(conn: asyncssh.SSHClientConnection) -> ProbeShell:
    """Open the session; errors are the channel-open errors of ``create_process`` (the caller maps them)."""
    proc = await conn.create_process(ProbeShell.start_command(), encoding=None, stdin=asyncssh.PIPE)
    return ProbeShell(conn, proc)
