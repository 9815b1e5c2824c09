"""Which mounts the lab owns on a host, checked against the host's real mount
table before any fault touches one.

DANGER this guards against: ``mount -o remount,ro /`` inside a mount namespace
still changes the SHARED superblock, so on the machine's real root it would
make the whole machine read-only. The lab only ever remounts, fills or breaks
a mount that (1) it lists as its own for that host and (2) is, right now in
that host's mount table, the very filesystem the lab made: the host's overlay
root ``lab-root-<host>`` or an ext4 on the host's own loop device.
"""

from __future__ import annotations

import math
import os
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from cockpit.lab import loopdev
from cockpit.lab.errors import LabError
from cockpit.lab.host import HostHandle

FILL_FILE = ".lab-fill"
_ESC = re.compile(r"\\([0-7]{3})")


def _unescape(s: str) -> str:
    return _ESC.sub(lambda m: chr(int(m.group(1), 8)), s)


@dataclass(frozen=True)
class MountEntry:
    mountpoint: str
    major: int
    minor: int
    fstype: str
    source: str
    options: str  # per-mount options
    super_options: str

    @property
    def read_only(self) -> bool:
        opts = set(self.options.split(",")) | set(self.super_options.split(","))
        return "ro" in opts or "emergency_ro" in opts


def mount_table(host: HostHandle) -> list[MountEntry]:
    """The host's /proc/self/mountinfo, read from the machine."""
    text = Path(f"/proc/{host.init_pid}/mountinfo").read_text()
    out: list[MountEntry] = []
    for line in text.splitlines():
        left, _, right = line.partition(" - ")
        f, r = left.split(), right.split()
        if len(f) < 6 or len(r) < 3:
            continue
        major, minor = (int(x) for x in f[2].split(":"))
        out.append(MountEntry(_unescape(f[4]), major, minor, r[0], _unescape(r[1]), f[5], r[2]))
    return out


def normalize(mountpoint: str) -> str:
    if not mountpoint.startswith("/"):
        raise LabError(f"mountpoint {mountpoint!r} must be an absolute path")
    return posixpath.normpath(mountpoint).replace("//", "/")


def owned(host: HostHandle, mountpoint: str, *, ext4_only: bool = False) -> MountEntry:
    """The mount at ``mountpoint`` if the lab made it; LabError (refusal) otherwise."""
    mp = normalize(mountpoint)
    mine = host.state.owned_mounts()
    if ext4_only:
        mine = [m for m in mine if m != "/"]
    if mp not in mine:
        raise LabError(f"refusing: {mp} on {host.name} is not a mount the lab made "
                       f"(lab mounts there: {', '.join(mine) or 'none'})")
    entries = [m for m in mount_table(host) if m.mountpoint == mp]
    if not entries:
        raise LabError(f"refusing: nothing is mounted at {mp} on {host.name}")
    top = entries[-1]
    if mp == "/":
        if top.fstype != "overlay" or top.source != f"lab-root-{host.name}":
            raise LabError(f"refusing: / on {host.name} is {top.source} ({top.fstype}), not the lab's overlay root")
        return top
    loop = host.state.loop_for(mp)
    rdev = loopdev.rdev(loop.device) if loop and loop.device else None
    if top.fstype != "ext4" or rdev is None or (top.major, top.minor) != rdev:
        raise LabError(f"refusing: {mp} on {host.name} is {top.source} ({top.fstype}), not the lab's loop device")
    return top


def _usage(path: Path) -> tuple[int, int]:
    st = os.statvfs(path)
    return (st.f_blocks - st.f_bfree) * st.f_frsize, st.f_bavail * st.f_frsize


def df_capacity(path: Path) -> int:
    """The Capacity column of ``df -P``: used / (used + available), rounded up."""
    used, avail = _usage(path)
    return math.ceil(used * 100 / (used + avail)) if used + avail else 100


def fill_bytes(path: Path, percent: float) -> int:
    """Bytes to allocate so that ``df`` shows ``percent`` used at ``path``."""
    used, avail = _usage(path)
    target = math.floor(percent / 100 * (used + avail))
    return max(target - used, 0)


def fill(path: Path, percent: float) -> int:
    """Allocate real blocks in ``path/.lab-fill`` until ``percent`` is used
    (or the filesystem is full). Returns the file's size."""
    f = path / FILL_FILE
    fd = os.open(f, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        for _ in range(4):  # metadata costs a little: top up until reached
            need = fill_bytes(path, percent)
            if need == 0:
                break
            size = os.fstat(fd).st_size
            try:
                os.posix_fallocate(fd, size, need)
            except OSError:
                # full before the target: take what is left, 1 MiB at a time
                chunk = 1 << 20
                while chunk >= 4096:
                    try:
                        os.posix_fallocate(fd, os.fstat(fd).st_size, chunk)
                    except OSError:
                        chunk //= 2
                break
        for _ in range(4):  # allocating costs metadata too: give back what overshoots
            if df_capacity(path) <= math.ceil(percent):
                break
            used, avail = _usage(path)
            excess = used - math.floor(percent / 100 * (used + avail)) + os.statvfs(path).f_frsize
            os.ftruncate(fd, max(os.fstat(fd).st_size - excess, 0))
        os.fsync(fd)
        return os.fstat(fd).st_size
    finally:
        os.close(fd)
