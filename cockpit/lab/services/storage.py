"""/storage on lab hosts: a backup host holding per-site copies to import from,
and the ``kill-rsync`` fault for hosts that run imports.

``StorageBackup`` (on e.g. ``backup1``) writes, at ``lab up``, one realistic
tree per site under ``ROOT/<site>``: thousands of small mails (``.eml``), a few
large attachments, odd names (spaces, unicode, leading dashes, shell and markup
characters, a newline, invalid UTF-8) and a symlink. It adds ``[storage]
source`` and ``source_root`` to the lab's inventory, and ``bwlimit_kbps`` when
given one: rsync's ``--bwlimit`` slows a copy so that it can be watched.

``RsyncHost`` (on destination hosts) only brings the ``kill-rsync`` fault:
SIGKILL every rsync process of that host (found through the host's own
cgroup, never by name across the machine), as a crash or the OOM killer would.
Imports run rsync over the hosts' own SSH (the lab's peer key and
known_hosts in every host's /root/.ssh, see the sshd service).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import random
import signal
from pathlib import Path
from typing import Any

from cockpit.lab.errors import LabError
from cockpit.lab.faultkind import FaultKind
from cockpit.lab.host import HostHandle
from cockpit.lab.services.base import LabContext, Service, register
from cockpit.lab.state import FaultRec

RSYNC_EXES = ("/usr/bin/rsync", "/bin/rsync")

# Names a real /storage holds sooner or later; each must survive an import byte for byte.
ODD_NAMES: tuple[bytes, ...] = (
    b"-rf", b"--delete.eml", b"Re  Fwd  double  space.eml", "Überweisung März.pdf".encode(),
    "日本語の添付.txt".encode(), "clip 📎.bin".encode(), b"$(touch pwned).eml", b"`id`.txt",
    b"a;b&c|d.eml", b"quote's \"dq\".txt", b"new\nline.eml", b"back\\slash.eml", b"latin1-\xe9t\xe9.txt",
    b"[bold red]x[link=javascript:x]y.eml", b"tab\there.eml",
)


def _mail(rnd: random.Random, n: int, size: int) -> bytes:
    head = (f"From: user{rnd.randint(1, 999)}@example.test\nTo: helpdesk@example.test\n"
            f"Subject: ticket #{n} {rnd.choice(['printer', 'login', 'invoice', 'Ärger', 'réunion'])}\n"
            f"Message-ID: <{n}.{rnd.getrandbits(48):x}@example.test>\n\n").encode()
    body = rnd.randbytes(max(0, size - len(head)))
    return head + body


def write_tree(root: Path, site: str, *, small_files: int, large_files: int, large_mb: int, seed: int) -> int:
    """One site's /storage copy under ``root``; returns the bytes written."""
    rnd = random.Random(f"{seed}:{site}")  # noqa: S311 - reproducible test data, not secrets
    written = 0
    months = [f"mail/2024-{m:02d}" for m in range(1, 13)]
    for d in (*months, "attachments/scans", "attachments/Größe & Maße", "unparsed"):
        (root / d).mkdir(parents=True, exist_ok=True)
    for i in range(small_files):
        size = int(rnd.lognormvariate(8.3, 0.9)) + 200  # mostly a few kB, some tens of kB
        where = months[i % len(months)] if i % 10 else "unparsed"
        data = _mail(rnd, i, size)
        (root / where / f"{i:05d} ticket {i}.eml").write_bytes(data)
        written += len(data)
    for i in range(large_files):
        left = large_mb * 1024 * 1024 * (i + 1) // max(1, large_files)
        with (root / "attachments/scans" / f"scan {i} büro.pdf").open("wb") as f:
            while left > 0:  # in chunks: a big attachment never sits in memory whole
                chunk = rnd.randbytes(min(left, 4 * 1024 * 1024))
                f.write(chunk)
                left -= len(chunk)
                written += len(chunk)
    odd = os.fsencode(root / "attachments/Größe & Maße")
    for name in ODD_NAMES:
        data = rnd.randbytes(rnd.randint(10, 3000))
        with open(os.path.join(odd, name), "wb") as f:
            f.write(data)
        written += len(data)
    link = root / "latest"
    if not link.is_symlink():
        os.symlink("mail/2024-12", link)
    return written


@register
@dataclasses.dataclass(frozen=True)
class StorageBackup(Service):
    name = "storage-backup"
    packages = ("rsync",)
    tools = ("rsync",)
    root: str = "/backup/storage"
    sites: tuple[str, ...] = ("acme", "globex")
    small_files: int = 2000
    large_files: int = 3
    large_mb: int = 8
    seed: int = 5
    bwlimit_kbps: int = 0  # [storage] bwlimit_kbps for the inventory (0: unlimited, the key is left out)

    def setup(self, lab: LabContext, host: HostHandle) -> None:
        for site in self.sites:
            write_tree(host.path(f"{self.root}/{site}"), site, small_files=self.small_files,
                       large_files=self.large_files, large_mb=self.large_mb, seed=self.seed)

    def fleet_inventory(self, lab: LabContext) -> dict[str, Any]:
        hosts = [h.name for h in lab.state.hosts.values()
                 if any(s["name"] == self.name for s in h.services)]
        if not hosts:
            return {}
        storage: dict[str, Any] = {"source": hosts[0], "source_root": self.root}
        if self.bwlimit_kbps > 0:
            storage["bwlimit_kbps"] = self.bwlimit_kbps
        return {"storage": storage}


def rsync_pids(host: HostHandle) -> list[int]:
    out = []
    for pid in host.pids():
        with contextlib.suppress(OSError):
            if os.readlink(f"/proc/{pid}/exe") in RSYNC_EXES:
                out.append(pid)
    return out


def _kill_rsync(lab: LabContext, host: HostHandle, args: list[str]) -> dict[str, Any]:
    pids = rsync_pids(host)
    if not pids:
        raise LabError(f"{host.name}: no rsync is running")
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return {"pids": pids}


def _nothing_to_heal(lab: LabContext, host: HostHandle, rec: FaultRec) -> None:
    """A killed process stays killed; resuming the import is the cockpit's job."""


@register
@dataclasses.dataclass(frozen=True)
class RsyncHost(Service):
    name = "rsync"
    packages = ("rsync",)
    tools = ("rsync",)

    def faults(self) -> tuple[FaultKind, ...]:
        return (FaultKind("kill-rsync", "", "SIGKILL every rsync process on the host (an import dies hard)",
                          _kill_rsync, _nothing_to_heal),)
