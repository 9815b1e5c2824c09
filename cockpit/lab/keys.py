"""SSH keys of the lab: the client key (the cockpit's), the host-to-host key
(so one host can rsync from another with its own key, as on a real fleet),
and one host key per host, generated in-process (no ssh-keygen per host)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import asyncssh


@dataclass(frozen=True)
class KeyPair:
    private: Path
    public_line: str  # "ssh-ed25519 AAAA... comment"


def write_keypair(path: Path, comment: str) -> KeyPair:
    key = asyncssh.generate_private_key("ssh-ed25519", comment=comment)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key.export_private_key("openssh"))
    pub = key.export_public_key("openssh").decode().strip()
    path.with_name(path.name + ".pub").write_text(pub + "\n")
    return KeyPair(path, pub)


def read_keypair(path: Path) -> KeyPair:
    return KeyPair(path, path.with_name(path.name + ".pub").read_text().strip())


def known_hosts_line(names: list[str], public_line: str) -> str:
    """``web1,198.18.0.101 ssh-ed25519 AAAA...`` (the key without its comment)."""
    kind, blob = public_line.split()[:2]
    return f"{','.join(names)} {kind} {blob}"
