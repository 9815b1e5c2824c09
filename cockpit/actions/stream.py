"""Piping one host's command into another's over the cockpit's own SSH
connections (no host-to-host trust needed): ``mariadb-dump`` on the current
host streamed into ``mariadb`` on the standby, chunk by chunk, with back-pressure.

The receiving side reads MySQL credentials first: exactly ``len(prefix)``
bytes go to a private temporary option file (``dd bs=1``, which never reads
past them), the rest of stdin is the SQL. The file is removed however the
shell ends.
"""

from __future__ import annotations

import asyncio
import shlex
from dataclasses import dataclass

import asyncssh

from cockpit.actions.model import StepFailed
from cockpit.transport.errors import HostDown
from cockpit.transport.ssh import SshPool
from cockpit.untrusted import decode, printable

CHUNK = 256 * 1024
STDERR_CAP = 16 * 1024


def mariadb_reader(database: str, *, creds_len: int, address: str, port: int) -> str:
    """The receiving command: credentials from the first ``creds_len`` bytes of stdin, then SQL."""
    q = shlex.quote
    return ("umask 077; CNF=$(mktemp /run/cockpit-mycnf.XXXXXX) || exit 1; "
            "trap 'rm -f \"$CNF\"' EXIT HUP INT TERM PIPE; "
            f"dd bs=1 count={int(creds_len)} of=\"$CNF\" 2>/dev/null; "
            f"mariadb --defaults-extra-file=\"$CNF\" {q(f'--host={address}')} {q(f'--port={port}')} "
            f"--protocol=tcp {q(database)}")


@dataclass(frozen=True)
class PipeResult:
    bytes: int
    source_status: int | None
    dest_status: int | None
    errors: str


async def _read_err(stream: asyncssh.SSHReader[bytes]) -> bytes:
    out = b""
    while True:
        data = await stream.read(65536)
        if not data:
            return out
        if len(out) < STDERR_CAP:
            out += data[: STDERR_CAP - len(out)]


@dataclass(frozen=True)
class End:
    """One end of a pipe: the host, its command, and the bytes its stdin gets first."""

    host: str
    command: str
    stdin: bytes = b""


async def pipe(pool: SshPool, source: End, dest: End, *, timeout: float) -> PipeResult:
    """``source``'s stdout into ``dest``'s stdin (after ``dest.stdin``); ``source.stdin`` then EOF."""
    src_host, src_cmd, src_stdin = source.host, source.command, source.stdin
    dst_host, dst_cmd, dst_prefix = dest.host, dest.command, dest.stdin
    try:
        src_conn, dst_conn = await pool.connection(src_host), await pool.connection(dst_host)
        src = await src_conn.create_process(src_cmd, encoding=None)
        dst = await dst_conn.create_process(dst_cmd, encoding=None)
    except HostDown as e:
        raise StepFailed(str(e)) from None
    except (OSError, asyncssh.Error) as e:
        raise StepFailed(f"cannot open the SSH channels: {printable(str(e) or type(e).__name__)}") from None
    total = 0
    try:
        async with asyncio.timeout(timeout):
            try:
                if src_stdin:
                    src.stdin.write(src_stdin)
                src.stdin.write_eof()
            except (OSError, asyncssh.Error):
                pass  # a quick source (a backup section) may be done and its channel closed already
            dst.stdin.write(dst_prefix)
            src_err = asyncio.ensure_future(_read_err(src.stderr))
            dst_err = asyncio.ensure_future(_read_err(dst.stderr))
            dst_out = asyncio.ensure_future(_read_err(dst.stdout))
            while True:
                data = await src.stdout.read(CHUNK)
                if not data:
                    break
                total += len(data)
                dst.stdin.write(data)
                await dst.stdin.drain()
            dst.stdin.write_eof()
            await src.wait_closed()
            await dst.wait_closed()
            errs = [await src_err, await dst_err, await dst_out]
    except TimeoutError:
        src.close()
        dst.close()
        raise StepFailed(f"the copy did not finish within {timeout:g} s ({total:,} bytes sent)") from None
    except (OSError, asyncssh.Error, BrokenPipeError) as e:
        src.close()
        dst.close()
        raise StepFailed(f"the copy broke after {total:,} bytes: {printable(str(e) or type(e).__name__)}") from None
    text = "\n".join(printable(line, 300) for e in errs for line in decode(e).splitlines() if line.strip())
    return PipeResult(total, src.exit_status, dst.exit_status, text)
