"""The lab's kernel log router (one per lab, started by ``lab up``).

It reads the machine's real ``/dev/kmsg`` from the end and copies each record
that names one of this lab's loop devices (``EXT4-fs error (device loop3)``,
``Buffer I/O error on dev loop3``, ``Aborting journal on device loop3-8``...)
into the kernel log view of the host that owns the device, keeping the
record's real level and timestamp. See :mod:`cockpit.lab.kmsg` for why.

Run as ``python -m cockpit.lab.klogd LAB_DIR``; stopped by ``lab down``.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import sys
from pathlib import Path

from cockpit.lab import kmsg
from cockpit.lab.state import STATE_FILE

LOOP_RE = re.compile(r"\b(loop\d+)\b")
READY_FILE = "klogd.ready"


class Routes:
    def __init__(self, lab_dir: Path):
        self.state_path = lab_dir / STATE_FILE
        self.mtime = -1.0
        self.views: dict[str, Path] = {}

    def view_for(self, device: str) -> Path | None:
        try:
            mtime = self.state_path.stat().st_mtime
        except FileNotFoundError:
            raise SystemExit(0) from None  # the lab is gone
        if mtime != self.mtime:
            self.mtime = mtime
            self.views = {}
            with contextlib.suppress(OSError, ValueError, KeyError, TypeError):
                data = json.loads(self.state_path.read_text())
                for h in data["hosts"].values():
                    if not h.get("init"):
                        continue
                    view = Path(f"/proc/{h['init']['pid']}/root") / kmsg.VIEW_IN_HOST.lstrip("/")
                    for lp in h.get("loops", []):
                        if lp.get("device"):
                            self.views[os.path.basename(lp["device"])] = view
        return self.views.get(device)


def route(raw: bytes, routes: Routes) -> None:
    head = raw.partition(b"\n")[0].decode("utf-8", "replace")
    prefix, sep, text = head.partition(";")
    if not sep:
        return
    m = LOOP_RE.search(text)
    if not m:
        return
    try:
        fields = prefix.split(",")
        level, ts = int(fields[0]) & 7, int(fields[2])
    except (ValueError, IndexError):
        return
    view = routes.view_for(m.group(1))
    if view is not None:
        with contextlib.suppress(OSError):  # that host may be going away
            kmsg.append(view, [(level, text)], source="kernel", device=m.group(1), ts_usec=ts)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m cockpit.lab.klogd LAB_DIR", file=sys.stderr)
        return 2
    lab_dir = Path(argv[1])
    fd = os.open("/dev/kmsg", os.O_RDONLY | os.O_CLOEXEC)
    os.lseek(fd, 0, os.SEEK_END)
    (lab_dir / READY_FILE).touch()
    routes = Routes(lab_dir)
    while True:
        try:
            raw = os.read(fd, 16384)
        except OSError as e:
            if e.errno == errno.EPIPE:  # records were overwritten under us: go on
                continue
            raise
        if raw:
            route(raw, routes)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
