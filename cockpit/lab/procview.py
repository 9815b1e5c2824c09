"""The per-host ``/proc`` view that carries ``/proc/mdstat``.

The machine has no md driver, so no real ``/proc/mdstat``, and procfs accepts
neither new files nor an overlay (``overlayfs: maximum fs stacking depth
exceeded``). Each host with ``raid=True`` therefore gets, in its own mount
namespace:

* its own PID namespace's procfs, mounted at ``/run/.lab/proc``;
* a tmpfs on ``/proc`` holding a symlink to every real entry
  (``/proc/self`` -> ``/run/.lab/proc/self``, ``/proc/mounts``, ``/proc/sys``...),
  and a symlink for EVERY possible pid ``1..pid_max-1`` (pid_max is set per PID
  namespace, kernel >= 6.14): a live pid resolves, a dead one dangles. So
  ``ps``, ``pgrep``, ``kill``, start-stop-daemon and ``test -d /proc/$pid``
  keep working, ``/proc/self/mountinfo`` and ``/proc/mounts`` show the host's
  own mounts (``df`` uses them);
* a regular file ``/proc/mdstat`` that the lab rewrites for RAID faults.
"""

from __future__ import annotations

import os
from pathlib import Path

MEMBERS = ("sda1", "sdb1")
BLOCKS = 262011392


def mdstat(state: str = "clean", percent: float = 0.0) -> str:
    """clean | degraded | resync | recovery, as Linux 6.x prints them."""
    a, b = MEMBERS
    head = "Personalities : [raid1] [linear] [multipath] [raid0] [raid6] [raid5] [raid4] [raid10] \n"
    if state == "degraded":
        devs, counts = f"{b}[1](F) {a}[0]", "[2/1] [U_]"
    elif state == "recovery":
        devs, counts = f"{b}[2] {a}[0]", "[2/1] [U_]"
    else:
        devs, counts = f"{b}[1] {a}[0]", "[2/2] [UU]"
    lines = [f"md0 : active raid1 {devs}", f"      {BLOCKS} blocks super 1.2 {counts}"]
    if state in ("resync", "recovery"):
        permille = max(0, min(1000, round(percent * 10)))
        x = permille // 50  # as md.c's status_resync() draws it
        bar = "[" + "=" * x + ">" + "." * (20 - x) + "] "
        done = BLOCKS * permille // 1000
        lines.append(f"      {bar} {state} ={permille // 10:3d}.{permille % 10}% ({done}/{BLOCKS})"
                     " finish=15.2min speed=208256K/sec")
    lines.append("      bitmap: 1/2 pages [4KB], 65536KB chunk")
    return head + "\n".join(lines) + "\n\nunused devices: <none>\n"


def write_mdstat(host_root: Path, text: str) -> None:
    """Replace the host's /proc/mdstat atomically (``host_root`` = /proc/INIT/root)."""
    target = host_root / "proc" / "mdstat"
    tmp = host_root / "proc" / ".mdstat.tmp"
    tmp.write_text(text)
    os.chmod(tmp, 0o444)
    os.replace(tmp, target)
