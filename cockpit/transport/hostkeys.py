"""known_hosts handling: tell unknown keys from changed ones, record accepted keys.

A changed key is never accepted silently: only an explicit operator decision
(``trust_key``, behind a confirm in the UI) replaces it, and that is audited by
the caller.
"""

from __future__ import annotations

import os
from pathlib import Path

import asyncssh


def default_known_hosts() -> Path:
    return Path("~/.ssh/known_hosts").expanduser()


def host_pattern(address: str, port: int) -> str:
    return address if port == 22 else f"[{address}]:{port}"


def known_keys(path: Path, address: str, port: int) -> list[asyncssh.SSHKey]:
    """The keys known_hosts trusts for ``address:port`` (empty: the host is unknown)."""
    if not path.is_file():
        return []
    try:
        trusted, _cas, _revoked, *_ = asyncssh.match_known_hosts(str(path), address, address, port)
    except (OSError, ValueError, asyncssh.KeyImportError):
        return []
    return list(trusted)


def record_key(path: Path, address: str, port: int, key: asyncssh.SSHKey, *, replace: bool) -> None:
    """Append (or, with ``replace``, substitute) the key for ``address:port``.

    The file is rewritten atomically with mode 0600.
    """
    pattern = host_pattern(address, port)
    lines: list[str] = []
    if path.is_file():
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            hosts = line.split(" ", 1)[0].split(",") if line and not line.startswith("#") else []
            if replace and pattern in hosts:
                continue
            lines.append(line)
    entry = key.export_public_key("openssh").decode().strip()
    lines.append(f"{pattern} {entry}")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + ".cockpit-tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def fingerprint(key: asyncssh.SSHKey | None) -> str | None:
    return None if key is None else key.get_fingerprint("sha256")
