"""Data filesystems: a sparse image, ``mkfs.ext4``, a loop device of our own.

Teardown finds loop devices both from the state file and by their backing
file being inside the lab dir (``/sys/block/loopN/loop/backing_file``), so a
crash between ``losetup`` and the state write leaks nothing.
"""

from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path

from cockpit.lab.errors import LabError
from cockpit.lab.procs import wait_until

_attach_lock = threading.Lock()


def make_image(image: Path, size_mb: int, label: str) -> None:
    image.parent.mkdir(parents=True, exist_ok=True)
    with open(image, "wb") as f:
        f.truncate(size_mb * 1024 * 1024)
    # -m 0: no root reserve, so "disk full" means full for root too (rsync runs as root)
    p = subprocess.run(["mkfs.ext4", "-q", "-F", "-m", "0", "-L", label[:16], "-E",
                        "lazy_itable_init=1,lazy_journal_init=1", str(image)],
                       capture_output=True, text=True, check=False)
    if p.returncode != 0:
        raise LabError(f"mkfs.ext4 {image}: {p.stderr.strip()}")


def attach(image: Path) -> str:
    with _attach_lock:  # losetup --find races with itself
        p = subprocess.run(["losetup", "--find", "--show", str(image)], capture_output=True, text=True, check=False)
    if p.returncode != 0:
        raise LabError(f"losetup {image}: {p.stderr.strip()}")
    return p.stdout.strip()


def backing_file(device: str) -> str | None:
    name = os.path.basename(device)
    try:
        return Path(f"/sys/block/{name}/loop/backing_file").read_text().strip()
    except OSError:
        return None


def devices_backed_under(directory: Path) -> list[str]:
    root = str(directory.resolve()) + "/"
    found: list[str] = []
    for bf in Path("/sys/block").glob("loop*/loop/backing_file"):
        try:
            path = bf.read_text().strip()
        except OSError:
            continue
        if path.startswith(root):
            found.append("/dev/" + bf.parent.parent.name)
    return found


def rdev(device: str) -> tuple[int, int] | None:
    try:
        st = os.stat(device)
    except OSError:
        return None
    return os.major(st.st_rdev), os.minor(st.st_rdev)


def detach(device: str, image: str | None, timeout: float = 10.0) -> bool:
    """Detach ``device`` if (and only if) it is still backed by ``image``."""
    def ours() -> bool:
        bf = backing_file(device)
        return bf is not None and (image is None or bf == image or bf.startswith(image))

    if not ours():
        return True
    # on a busy device LOOP_CLR_FD only sets autoclear: it goes when released
    subprocess.run(["losetup", "-d", device], capture_output=True, check=False)
    return wait_until(lambda: not ours(), timeout, 0.02)
