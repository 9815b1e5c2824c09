"""One lab command at a time per lab dir (``DIR/.lock``, flock)."""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from cockpit.lab.errors import LabError

LOCK_FILE = ".lock"


@contextlib.contextmanager
def lab_lock(lab_dir: Path, wait: bool = True) -> Iterator[None]:
    lab_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(lab_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise LabError(f"another lab command is running on {lab_dir}") from None
        yield
    finally:
        os.close(fd)
