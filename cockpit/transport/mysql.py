"""MySQL/MariaDB connections: aiomysql, tunnelled over the host's existing
asyncssh connection (``via = "ssh"``, the default: production servers listen on
localhost only) or straight from the cockpit (``via = "direct"``).

* A tunnel is one local forward per (host, address, port) on the pool's
  connection to that host, made again when that connection is replaced. Its
  local end is a unix socket in a private (0700) directory, not a TCP port:
  no other local user can ride it, and it skips the local TCP stack. The
  directory is under the cockpit's run dir, so a cockpit started after one that
  was SIGKILLed clears what that one left (:mod:`cockpit.transport.socket_dir`).
* Every connect and every query runs under a time limit of our own: aiomysql's
  own connect timeout never fires against a hung (SIGSTOPped) server. The
  limits charge the server's time, not the cockpit's own stalls
  (:mod:`cockpit.transport.patience`): a busy TUI must not report a server hung.
* Each server has a concurrency limit (``mysql.concurrency``, default 2): at
  most that many sessions at once, whoever asks (a sweep, a re-check, an action).
* Errors are :class:`MySqlError` subclasses with one-line messages that name the
  server and never a password. Results come back as bytes for text columns
  (``use_unicode=False``): what a server sends is untrusted, callers decode it.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import inspect
import logging
import sys
import warnings
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import asyncssh

from cockpit import secrets
from cockpit.inventory.model import MySQL
from cockpit.transport.errors import HostDown
from cockpit.transport.mysql_credentials import CredentialError, Credentials, credentials_for
from cockpit.transport.patience import Patience
from cockpit.transport.socket_dir import SocketDir
from cockpit.transport.ssh import SshPool
from cockpit.untrusted import printable

if TYPE_CHECKING:
    import aiomysql

log = logging.getLogger(__name__)



@functools.cache
def _load_driver() -> None:
    """aiomysql and pymysql are imported on the first connect, not with this module: a fleet
    without sites never needs them (``cockpit status`` on a disk-only inventory starts sooner)."""
    import pymysql

    # A server's warnings (e.g. "Table ... is marked as crashed" during discovery)
    # would go to stderr through the warnings module: untrusted text over the TUI.
    # The checker reads what matters from CHECK TABLE's own rows.
    warnings.filterwarnings("ignore", category=pymysql.Warning)

Row = tuple[Any, ...]
T = TypeVar("T")
SOCKET_DIR_PREFIX = "mysql"


class MySqlError(Exception):
    """A MySQL failure; ``str()`` is one line for the operator (no secrets)."""

    def __init__(self, message: str, code: int | None = None):
        super().__init__(secrets.scrub_text(message))
        self.code = code


class ServerUnreachable(MySqlError):
    """No session could be opened: SSH host down, tunnel refused, no answer, refused."""


class AuthFailed(MySqlError):
    """Wrong user or password, or no password configured (CredentialError)."""


class QueryTimeout(MySqlError):
    """A statement did not finish in time (the session is closed: the server may hang)."""


class ConnectionLost(MySqlError):
    """The session died during a statement: the server went away or crashed, or (``link_lost``) the
    SSH connection under its tunnel died, which says nothing about the server."""

    def __init__(self, message: str, code: int | None = None, *, link_lost: bool = False):
        super().__init__(message, code)
        self.link_lost = link_lost


class QueryFailed(MySqlError):
    """The server answered with an error (permission denied, no such table...)."""


@dataclass(frozen=True)
class ServerKey:
    """One MySQL server: reached through ``host``'s SSH connection, or directly."""

    host: str
    via: str
    address: str
    port: int

    def __str__(self) -> str:
        where = f"{self.address}:{self.port}"
        return f"MySQL on {self.host} ({where} via SSH)" if self.via == "ssh" else f"MySQL at {where}"


# MySQL client error codes
_LOST = {2006, 2013, 2055}
_CANT_CONNECT = {2002, 2003, 2005}
_AUTH = {1045, 1698, 1044}


def _describe(e: BaseException) -> tuple[str, int | None]:
    pymysql = sys.modules.get("pymysql")  # not loaded: e cannot be one of its errors
    if pymysql is not None and isinstance(e, pymysql.err.MySQLError) and len(e.args) >= 2 \
            and isinstance(e.args[0], int):
        return printable(str(e.args[1]), 300), e.args[0]
    return printable(str(e) or type(e).__name__, 300), None


class MySqlSession:
    """One open connection to one server (from :meth:`MySqlServers.session`)."""

    def __init__(self, key: ServerKey, conn: aiomysql.Connection, default_timeout: float,
                 link: asyncssh.SSHClientConnection | None = None):
        """``link``: the SSH connection the session's tunnel runs over (None: a direct session)."""
        self.key = key
        self._conn = conn
        self._timeout = default_timeout
        self._link = link
        self.closed = False

    @property
    def link_lost(self) -> bool:
        """The SSH connection under the tunnel is closed (what died was the link, maybe not the server)."""
        return self._link is not None and self._link.is_closed()

    @property
    def thread_id(self) -> int | None:
        """The server's id for this session (for ``KILL``), None once closed."""
        return None if self.closed else int(self._conn.thread_id())

    async def query(self, sql: str, args: Sequence[Any] | None = None, *,
                    timeout: float | None = None) -> list[Row]:
        """Run one statement; all its rows. Raises QueryTimeout, ConnectionLost or QueryFailed."""
        return await self._call(self._run(sql, args), self._timeout if timeout is None else timeout)

    async def each(self, statements: Sequence[str], timeouts: Sequence[float]) -> AsyncGenerator[list[Row]]:
        """Send ``statements`` at once (a session opened with ``multi_statements``);
        yield each one's rows in order. The server runs them one after the other,
        so each result must come within its own timeout of the one before it:
        that is the statement's own time limit. A failure raises for the
        statement that failed (the ones after it did not run); a result missing
        is QueryFailed. Stopping early, or any failure but QueryFailed, closes
        the session (its later statements must not run unseen)."""
        if not statements:
            return
        done, session_fine = 0, False
        try:
            cur = await self._call(self._open_batch(";\n".join(statements)), timeouts[0])
            while True:
                yield list(await cur.fetchall())
                done += 1
                if done == len(statements):
                    break
                if not await self._call(cur.nextset(), timeouts[done]):
                    raise QueryFailed(f"{self.key}: the server sent {done} results for {len(statements)} "
                                      "statements")
            session_fine = True
        except QueryFailed:
            session_fine = True  # the server said no and stopped there: nothing more will come
            raise
        finally:
            if not session_fine:
                self.close()

    async def _open_batch(self, sql: str) -> Any:
        cur = await self._conn.cursor()
        await cur.execute(sql)
        return cur

    async def _call(self, coro: Awaitable[T], limit: float) -> T:
        """``coro`` under ``limit``, its failures as MySqlError (the session closed unless the server said no)."""
        import pymysql  # loaded by the connect that made this session

        if self.closed:
            if inspect.iscoroutine(coro):
                coro.close()
            raise ConnectionLost(f"{self.key}: the session was closed after an earlier failure")
        try:
            async with Patience(limit):  # no task per call, unlike wait_for: thousands of CHECKs
                return await coro
        except TimeoutError:
            self.close()
            raise QueryTimeout(f"{self.key}: no answer within {limit:g} s") from None
        except (pymysql.err.OperationalError, pymysql.err.InterfaceError, OSError,
                asyncssh.Error) as e:
            text, code = _describe(e)
            if code in _LOST or code is None or isinstance(e, OSError | asyncssh.Error | pymysql.err.InterfaceError):
                self.close()
                if self.link_lost:
                    raise ConnectionLost(f"{self.key}: the SSH connection to {self.key.host} was lost ({text})",
                                         code, link_lost=True) from None
                raise ConnectionLost(f"{self.key}: connection lost ({text})", code) from None
            raise QueryFailed(f"{self.key}: {text}", code) from None
        except pymysql.err.MySQLError as e:
            text, code = _describe(e)
            raise QueryFailed(f"{self.key}: {text}", code) from None

    async def _run(self, sql: str, args: Sequence[Any] | None) -> list[Row]:
        async with self._conn.cursor() as cur:
            await cur.execute(sql, args)
            return list(await cur.fetchall())

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            with contextlib.suppress(Exception):
                self._conn.close()  # no goodbye packet: the server may be hung


@dataclass
class _Tunnel:
    ssh: asyncssh.SSHClientConnection
    listener: asyncssh.SSHListener
    path: str


class MySqlServers:
    """Sessions to the fleet's MySQL servers over the engine's SSH pool."""

    def __init__(self, pool: SshPool, run_dir: Callable[[], Path] | None = None):
        """``run_dir``: gives the cockpit's run dir, where the tunnels' socket directory goes (see
        :mod:`cockpit.transport.socket_dir`; None: the system's temp dir)."""
        self._pool = pool
        self._tunnels: dict[ServerKey, _Tunnel] = {}
        self._tunnel_locks: dict[ServerKey, asyncio.Lock] = {}
        self._limits: dict[ServerKey, asyncio.Semaphore] = {}
        self._sockets = SocketDir(run_dir, SOCKET_DIR_PREFIX)

    @staticmethod
    def key(host: str, m: MySQL) -> ServerKey:
        return ServerKey(host, m.via, m.address, m.port)

    def limit(self, key: ServerKey, concurrency: int) -> asyncio.Semaphore:
        """The server's session limit (set by the first config that asks for it)."""
        sem = self._limits.get(key)
        if sem is None:
            sem = self._limits[key] = asyncio.Semaphore(concurrency)
        return sem

    @contextlib.asynccontextmanager
    async def slot(self, host: str, m: MySQL) -> AsyncIterator[None]:
        """Hold one of the server's ``concurrency`` slots (open sessions with :meth:`connect` inside)."""
        async with self.limit(self.key(host, m), m.concurrency):
            yield

    async def connect(self, host: str, m: MySQL, *, database: str | None = None,
                      multi_statements: bool = False) -> MySqlSession:
        """A new session, outside the limit: call it while holding a :meth:`slot`; close it yourself.
        ``multi_statements``: for :meth:`MySqlSession.each` (only with SQL built from quoted identifiers)."""
        return await self._open(self.key(host, m), m, database, multi_statements)

    @contextlib.asynccontextmanager
    async def session(self, host: str, m: MySQL, *, database: str | None = None) -> AsyncIterator[MySqlSession]:
        """A session to ``host``'s server as configured by ``m``, within the server's limit."""
        async with self.slot(host, m):
            s = await self.connect(host, m, database=database)
            try:
                yield s
            finally:
                s.close()

    async def execute(self, host: str, m: MySQL, sql: str, args: Sequence[Any] | None = None, *,
                      database: str | None = None, timeout: float | None = None) -> list[Row]:
        """Open a session, run one statement, close it (for actions: FLUSH TABLES, REPAIR...)."""
        async with self.session(host, m, database=database) as s:
            return await s.query(sql, args, timeout=timeout)

    async def ping(self, host: str, m: MySQL, *, kill: int | None = None) -> str | None:
        """Does the server answer a new connection now (outside the limit)? None if so, else why not.
        ``kill``: then end that session of ours (a statement we gave up on must not go on holding locks)."""
        try:
            s = await self.connect(host, m)
        except MySqlError as e:
            return str(e)
        try:
            await s.query("SELECT 1", timeout=m.connect_timeout)
            if kill is not None:
                with contextlib.suppress(QueryFailed):  # already gone (unknown thread id)
                    await s.query("KILL CONNECTION %s", (kill,), timeout=m.connect_timeout)
        except MySqlError as e:
            return str(e)
        finally:
            s.close()
        return None

    async def close(self) -> None:
        for t in self._tunnels.values():
            t.listener.close()
        self._tunnels.clear()
        self._sockets.remove()

    # -- internals -------------------------------------------------------------------------
    async def _open(self, key: ServerKey, m: MySQL, database: str | None, multi: bool = False) -> MySqlSession:
        try:
            cred = credentials_for(m)
        except CredentialError as e:
            raise AuthFailed(f"{key}: {e}") from None
        for attempt in range(2):
            p = Patience(m.connect_timeout * 2 + 2)
            try:
                async with p:  # the tunnel, then the handshake
                    endpoint = await self._endpoint(key, m)
                    tunnel = self._tunnels.get(key) if key.via == "ssh" else None
                    conn = await self._connect(key, m, cred, endpoint, database, multi=multi)
                return MySqlSession(key, conn, m.check_timeout, tunnel.ssh if tunnel is not None else None)
            except TimeoutError:
                failed = ServerUnreachable(f"{key}: no answer within {m.connect_timeout:g} s (server hung?)")
            except ServerUnreachable as e:
                failed = e
            # A stall of our own past Patience's wall-time cap, or past the server's own handshake timeout
            # (it then closes the connection): the failure says little about the server. Once more.
            if attempt or p.stalled < m.connect_timeout / 2:
                raise failed from None
            log.info("%s: %s, after a stall of the cockpit's own of %.1f s: trying again", key, failed, p.stalled)
        raise AssertionError("unreachable")

    async def _connect(self, key: ServerKey, m: MySQL, cred: Credentials, endpoint: tuple[str, int | str],
                       database: str | None, *, multi: bool) -> aiomysql.Connection:
        _load_driver()
        import aiomysql
        import pymysql
        from pymysql.constants import CLIENT

        address, port = endpoint
        where: dict[str, Any] = {"unix_socket": port} if address == "unix" else {"host": address, "port": port}
        try:
            async with Patience(m.connect_timeout):
                return await aiomysql.connect(**where, user=cred.user, password=cred.password, db=database,
                                              connect_timeout=m.connect_timeout, autocommit=True,
                                              use_unicode=False, charset="utf8mb4", program_name="cockpit",
                                              client_flag=CLIENT.MULTI_STATEMENTS if multi else 0)
        except TimeoutError:
            raise ServerUnreachable(f"{key}: no answer within {m.connect_timeout:g} s (server hung?)") from None
        except pymysql.err.MySQLError as e:
            text, code = _describe(e)
            if code in _AUTH:
                raise AuthFailed(f"{key}: {text}", code) from None
            if key.via == "ssh" and (code in _LOST or code in _CANT_CONNECT):
                # the tunnel's far end refused or closed: nothing listens on the host's address:port
                raise ServerUnreachable(f"{key}: connection refused or closed on the host "
                                        "(MySQL not running?)", code) from None
            if code in _CANT_CONNECT or code in _LOST:
                raise ServerUnreachable(f"{key}: {text}", code) from None
            raise QueryFailed(f"{key}: {text}", code) from None
        except (OSError, asyncssh.Error) as e:
            raise ServerUnreachable(f"{key}: {_describe(e)[0]}") from None

    async def _endpoint(self, key: ServerKey, m: MySQL) -> tuple[str, int | str]:
        """``(address, port)`` to connect to, or ``("unix", path)`` for a tunnel's local end."""
        if key.via == "direct":
            return key.address, key.port
        lock = self._tunnel_locks.setdefault(key, asyncio.Lock())
        async with lock:
            try:
                ssh = await self._pool.connection(key.host)
            except HostDown as e:
                raise ServerUnreachable(f"{key}: host {key.host} is down: {e}") from None
            t = self._tunnels.get(key)
            if t is not None and t.ssh is ssh and not ssh.is_closed():
                return "unix", t.path
            if t is not None:
                t.listener.close()
                del self._tunnels[key]
            path = self._sockets.path("t")
            try:
                listener = await asyncio.wait_for(
                    ssh.forward_local_path_to_port(path, key.address, key.port), m.connect_timeout)
            except TimeoutError:
                raise ServerUnreachable(f"{key}: setting up the SSH tunnel timed out") from None
            except (OSError, asyncssh.Error) as e:
                raise ServerUnreachable(f"{key}: cannot set up the SSH tunnel: {_describe(e)[0]}") from None
            self._tunnels[key] = _Tunnel(ssh, listener, path)
            return "unix", path

