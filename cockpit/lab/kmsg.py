"""Per-host kernel log views.

The problem
-----------
All lab hosts share one kernel, so they share one kernel ring buffer. If hosts
read the real log, one host's ``EXT4-fs error (device loop3)`` would appear on
EVERY host and the cockpit would cry wolf on healthy hosts.

What was measured (Debian 12, util-linux 2.38.1 ``dmesg``, kernel 6.x)
---------------------------------------------------------------------
* The real ``dmesg`` works for root on this machine (``dmesg_restrict=1``, so
  only with CAP_SYSLOG or CAP_SYS_ADMIN). ``journalctl -k`` finds no journal
  (no systemd): it prints "No journal files were found." / "-- No entries --".
* ``dmesg`` reads ``/dev/kmsg`` first (``open``, ``lseek(SEEK_DATA)``, then one
  ``read(fd, buf, 8191)`` per record, as the kernel returns one record per
  read), and falls back to ``syslog(2)`` only if ``/dev/kmsg`` cannot be opened
  or read.
* A regular file bind-mounted over ``/dev/kmsg`` inside the host's mount
  namespace IS read by ``dmesg`` (strace: ``read(3, "3,0,1000000,-;EXT4-fs
  error ...", 8191) = 8191``), provided each record is padded to exactly 8191
  bytes: ``dmesg`` parses one record per read and ignores what follows the
  first newline. Levels and ``--level=err,crit,alert,emerg`` filtering work.
* The kernel refuses ``/dev/kmsg`` and ``syslog(2)`` to a process without
  CAP_SYSLOG and CAP_SYS_ADMIN: ``dmesg: read kernel buffer failed: Operation
  not permitted``.

What the lab does
-----------------
* Every process on a lab host runs without CAP_SYSLOG and CAP_SYS_ADMIN in its
  bounding set (which also stops anything on a host from remounting shared
  filesystems). So the real, shared kernel log is not readable on a host.
* Each host's ``/dev/kmsg`` is a bind mount of its own view file
  (``/run/.lab/kmsg`` in the host, a tmpfs): kmsg-format records, each padded
  to 8191 bytes. ``dmesg`` and ``dmesg --level=...`` work unchanged over ssh.
* Real kernel lines that concern a host's own loop devices (``EXT4-fs error
  (device loopN)``, ``Buffer I/O error on dev loopN``, ``Remounting filesystem
  read-only``...) are copied into that host's view, with their real level and
  timestamp, by the lab's kernel log router (:mod:`cockpit.lab.klogd`), which
  reads the real ``/dev/kmsg`` on the machine. Nothing else crosses over.
* The ``kernel-errors`` fault appends synthetic I/O error lines (the lab has
  no failing disk); they are tagged so heal removes exactly them.
* The ``kernel-log-unreadable`` fault unmounts the view: ``dmesg`` then meets
  the real ``/dev/kmsg`` and gets EPERM, exactly what an unprivileged reader
  sees on a real machine, and ``journalctl -k`` finds no journal.

This view and the per-host ``/proc/mdstat`` are the only things in the lab that
are not produced by the real software, because a shared kernel cannot.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

RECORD_SIZE = 8191  # util-linux dmesg reads /dev/kmsg with read(fd, buf, BUFSIZ - 1)
VIEW_IN_HOST = "/run/.lab/kmsg"

# syslog levels
EMERG, ALERT, CRIT, ERR, WARNING, NOTICE, INFO, DEBUG = range(8)


@dataclass(frozen=True)
class Record:
    level: int
    seq: int
    ts_usec: int
    text: str
    source: str = "kernel"  # kernel (routed from the real log) | inject (a fault)
    device: str = ""  # loopN for routed records

    def encode(self) -> bytes:
        text = "".join(c if 32 <= ord(c) < 127 else f"\\x{ord(c):02x}" for c in self.text)
        head = f"{self.level},{self.seq},{self.ts_usec},-;{text}\n".encode()
        tags = f" LAB_SOURCE={self.source}\n LAB_DEVICE={self.device}\n".encode()
        body = head[: RECORD_SIZE - len(tags) - 1] + tags
        return body + b" " * (RECORD_SIZE - len(body) - 1) + b"\n"

    @classmethod
    def decode(cls, raw: bytes) -> Record | None:
        head, _, rest = raw.partition(b"\n")
        try:
            prefix, text = head.decode("ascii", "replace").split(";", 1)
            fields = prefix.split(",")
            level, seq, ts = int(fields[0]) & 7, int(fields[1]), int(fields[2])
        except (ValueError, IndexError):
            return None
        tags = dict(t.strip().split("=", 1) for t in rest.decode("ascii", "replace").splitlines()
                    if "=" in t)
        return cls(level, seq, ts, text, tags.get("LAB_SOURCE", "kernel"), tags.get("LAB_DEVICE", ""))


def now_usec() -> int:
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC) // 1000


@contextlib.contextmanager
def _locked(path: Path, mode: str) -> Iterator[int]:
    fd = os.open(path, (os.O_RDWR if mode == "rw" else os.O_WRONLY | os.O_APPEND) | os.O_CLOEXEC)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield fd
    finally:
        os.close(fd)


def read_records(view: Path) -> list[Record]:
    data = view.read_bytes()
    out: list[Record] = []
    for i in range(0, len(data) - RECORD_SIZE + 1, RECORD_SIZE):
        r = Record.decode(data[i:i + RECORD_SIZE])
        if r is not None:
            out.append(r)
    return out


def append(view: Path, lines: list[tuple[int, str]], source: str = "inject", device: str = "",
           ts_usec: int | None = None) -> None:
    """Append records (level, text) to a host's view file."""
    with _locked(view, "rw") as fd:
        seq = os.fstat(fd).st_size // RECORD_SIZE
        ts = now_usec() if ts_usec is None else ts_usec
        blob = b"".join(Record(level, seq + i, ts, text, source, device).encode()
                        for i, (level, text) in enumerate(lines))
        os.lseek(fd, 0, os.SEEK_END)
        os.write(fd, blob)


def remove(view: Path, source: str | None = None, device: str | None = None) -> int:
    """Drop records by source and/or device (None: every record). Returns how many."""
    with _locked(view, "rw") as fd:
        keep: list[Record] = []
        dropped = 0
        for r in read_records(view):
            match = (source is None or r.source == source) and (device is None or r.device == device)
            if match:
                dropped += 1
            else:
                keep.append(r)
        blob = b"".join(Record(r.level, i, r.ts_usec, r.text, r.source, r.device).encode()
                        for i, r in enumerate(keep))
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, blob)
    return dropped


# What a dying disk under md0 logs (the `kernel-errors` fault).
IO_ERROR_LINES: list[tuple[int, str]] = [
    (ERR, "blk_update_request: I/O error, dev sdb, sector 1953509 op 0x1:(WRITE) flags 0x800 phys_seg 1 prio class 0"),
    (ALERT, "md/raid1:md0: Disk failure on sdb1, disabling device."),
    (ERR, "Buffer I/O error on dev md0, logical block 244188, lost async page write"),
    (ERR, "EXT4-fs error (device md0): ext4_find_entry:1658: inode #2: comm php-fpm: reading directory lblock 0"),
    (CRIT, "EXT4-fs (md0): Remounting filesystem read-only"),
]
