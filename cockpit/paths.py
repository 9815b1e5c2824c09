"""Where cockpit keeps its own files: state, audit log, logs, run-time sockets.

Default: ``$XDG_STATE_HOME/cockpit/<inventory-name>-<hash>/`` (or
``~/.local/state/...``), one directory per inventory so two fleets never share
state. The inventory may set ``state_dir`` and ``audit_file``. Directories are
0700 and files 0600: the audit log says who did what to which machine.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

from cockpit.inventory.model import Inventory


def state_dir(inv: Inventory) -> Path:
    if inv.state_dir:
        d = Path(inv.state_dir).expanduser()
    else:
        base = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
        digest = hashlib.sha256(str(inv.path.resolve()).encode()).hexdigest()[:8]
        d = base / "cockpit" / f"{inv.path.stem}-{digest}"
    ensure_private_dir(d)
    return d


def run_dir(inv: Inventory) -> Path:
    """Where what lives only while a cockpit runs goes (its MySQL tunnels' sockets; the next cockpit
    clears what a SIGKILLed one left): ``$XDG_RUNTIME_DIR/cockpit``, else the state dir's ``run``.
    Made by its users, not here."""
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    return Path(runtime) / "cockpit" if runtime else state_dir(inv) / "run"


def audit_path(inv: Inventory) -> Path:
    if inv.audit_file:
        p = Path(inv.audit_file).expanduser()
        if not p.is_absolute():
            p = inv.path.parent / p
        ensure_private_dir(p.parent)
        return p
    return state_dir(inv) / "audit.jsonl"


def ensure_private_dir(d: Path) -> None:
    """``d`` and every directory made on the way to it are 0700 (``mkdir(parents=True)``
    makes the parents with the umask's mode: $XDG_STATE_HOME/cockpit was 0755).
    Directories that exist already keep their mode."""
    missing: list[Path] = []
    p = d
    while not p.exists() and p != p.parent:
        missing.append(p)
        p = p.parent
    for p in reversed(missing):
        with contextlib.suppress(FileExistsError):  # made meanwhile by another cockpit
            p.mkdir(mode=0o700)
    if not d.is_dir():
        raise NotADirectoryError(f"{d} is not a directory")


def open_private(path: Path, flags: int) -> int:
    """os.open with mode 0600 for new files (existing files keep their mode)."""
    return os.open(path, flags | os.O_CLOEXEC, 0o600)
