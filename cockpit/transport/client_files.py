"""The client's known_hosts and identity files, parsed once and shared by every connection.

Given a path, asyncssh reads and parses the file again for each connection:
with a known_hosts file listing the whole fleet, connecting to N hosts parses
N x N entries (1,000 hosts: about 23 s of CPU). Here each file is parsed once
and parsed again only when it changes on disk (an accepted host key rewrites
known_hosts), so a new key is never missed.

Errors are asyncssh's own (OSError, ValueError, KeyImportError), raised where
the connection is made, so the pool reports them exactly as before.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

import asyncssh

T = TypeVar("T")
_Stamp = tuple[int, int, int, int]  # device, inode, size, mtime (ns)


class _Cache(Generic[T]):
    def __init__(self, load: Callable[[str], T]) -> None:
        self._load = load
        self._entries: dict[str, tuple[_Stamp, T]] = {}
        self.loads = 0  # files parsed so far (tests count them)

    def get(self, path: Path) -> T:
        key = str(path)
        st = os.stat(key)
        stamp = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
        hit = self._entries.get(key)
        if hit is not None and hit[0] == stamp:
            return hit[1]
        value = self._load(key)
        self.loads += 1
        self._entries[key] = (stamp, value)
        return value


class ClientFiles:
    """Parsed known_hosts and private key files, by path, reloaded when they change."""

    def __init__(self) -> None:
        self._known_hosts: _Cache[asyncssh.SSHKnownHosts] = _Cache(asyncssh.read_known_hosts)
        self._keys: _Cache[list[asyncssh.SSHKeyPair]] = _Cache(lambda p: list(asyncssh.load_keypairs(p)))

    @property
    def loads(self) -> int:
        """Files parsed so far (tests count them)."""
        return self._known_hosts.loads + self._keys.loads

    def known_hosts(self, path: Path) -> asyncssh.SSHKnownHosts:
        return self._known_hosts.get(path)

    def client_keys(self, path: Path) -> list[asyncssh.SSHKeyPair]:
        return self._keys.get(path)
