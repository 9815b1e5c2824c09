"""What the soak and idle-CPU benches share: their 50-host lab, its inventory
(2 s sweeps, the cockpit's state kept inside the lab dir), and a wallboard
process on a real pty whose RSS and CPU time are read from /proc.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pty
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path
from typing import Any

from cockpit.lab import FleetSpec, HostSpec, Lab, inventory_writer, procs
from cockpit.lab import teardown as lab_teardown
from cockpit.lab.dns_fleet import dns_hosts
from cockpit.lab.services.mariadb import MariaDB, lab_site_names
from cockpit.lab.services.sshd import Sshd
from cockpit.lab.spec import DataMount

HERE = Path(__file__).resolve().parent
PREFIX = "cockpit-bench-wall-"
MYSQL_HOSTS = 2  # web1, web2 run MariaDB (3 sites each); ns1-3 and res1 run BIND; the rest sshd only
TICK = os.sysconf("SC_CLK_TCK")


def fleet(hosts: int) -> FleetSpec:
    dns = dns_hosts(ttl=30)
    web = []
    for i in range(1, hosts - len(dns) + 1):
        if i <= MYSQL_HOSTS:
            svc = (Sshd(), MariaDB(sites=lab_site_names(i, 3), backup_host="web1"))
            web.append(HostSpec(f"web{i}", services=svc))
        else:
            web.append(HostSpec(f"web{i}", mounts=(DataMount("/srv", 64),), root_size_mb=64))
    return FleetSpec((*web, *dns))


def new_lab() -> Lab:
    lab_teardown.sweep_stale(Path("/tmp"), f"{PREFIX}*", lambda m: None)  # left by a killed bench
    return Lab(Path(tempfile.mkdtemp(prefix=PREFIX, dir="/tmp")))


def lab_up(lab: Lab, hosts: int) -> float:
    return lab.up(fleet(hosts), echo=lambda m: None, owner=procs.ref(os.getpid()))


def write_inventory(lab: Lab, refresh: float | None) -> Path:
    """The lab inventory with ``refresh`` s sweeps (disks and DNS; None: the cockpit's defaults)
    and the cockpit's state in the lab dir."""
    data = inventory_writer.fleet_data(lab)
    if refresh is not None:
        data["defaults"]["refresh"] = refresh
        if "dns" in data:
            data["dns"]["refresh"] = refresh
    data["state_dir"] = str(lab.dir / "cockpit-state")
    path = lab.dir / "bench-inventory.toml"
    inventory_writer.write(path, data, "soak / idle CPU bench")
    return path


def lab_down(lab: Lab) -> None:
    """Remove the lab, then the bench's own files in its dir (inventory, cockpit state)."""
    lab.down(echo=lambda m: None)
    shutil.rmtree(lab.dir, ignore_errors=True)


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


class Wallboard:
    """A wallboard_child.py on its own pty (``size`` columns x rows), its output drained and dropped
    (the last 16 KiB kept: a traceback ends up there). Textual draws on stderr, so stderr is the pty too."""

    def __init__(self, inventory: Path, mode: str = "wallboard", size: tuple[int, int] = (200, 60),
                 tracemalloc_dir: Path | None = None, heap: bool = False, env: dict[str, str] | None = None) -> None:
        """``heap``: the child reports its heap figures every minute (the soak reads them; walking every
        object costs more CPU than an idle wallboard, so the idle-CPU bench leaves it off)."""
        self.sweeps = self.failed = 0
        self.heap: dict[str, Any] = {}  # the child's latest heap figures (wallboard_child.heap)
        self.steps: list[dict[str, Any]] = []  # RSS steps the child saw (COCKPIT_BENCH_STEPS), not yet printed
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        rd, wr = os.pipe()
        self.tmp = Path(tempfile.mkdtemp(prefix="tmp-", dir=inventory.parent))  # its temp files go with the lab
        env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor", "COCKPIT_BENCH_FD": str(wr),
               "TMPDIR": str(self.tmp), **(env or {})}
        argv = [sys.executable, str(HERE / "wallboard_child.py"), "--inventory", str(inventory), "--mode", mode]
        if tracemalloc_dir is not None:
            argv += ["--tracemalloc", str(tracemalloc_dir)]
        if heap:
            argv.append("--heap")
        self._tail = b""
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                                     pass_fds=(wr,), start_new_session=True)
        os.close(slave)
        os.close(wr)
        self._master = master
        threading.Thread(target=self._drain, daemon=True).start()
        threading.Thread(target=self._reports, args=(rd,), daemon=True).start()

    def _drain(self) -> None:
        with contextlib.suppress(OSError):
            while chunk := os.read(self._master, 1 << 16):
                self._tail = (self._tail + chunk)[-(1 << 14):]

    def _reports(self, fd: int) -> None:
        with os.fdopen(fd) as f:
            for line in f:
                with contextlib.suppress(ValueError):
                    r: dict[str, Any] = json.loads(line)
                    self.sweeps, self.failed = int(r["sweeps"]), int(r["failed"])
                    if "heap" in r:
                        self.heap = r["heap"]
                    if "step" in r:
                        self.steps.append(r["step"])

    def alive(self) -> bool:
        return self.proc.poll() is None

    def rss_mib(self) -> float:
        return self.rss_parts_mib()["VmRSS"]

    def rss_parts_mib(self) -> dict[str, float]:
        """VmRSS and its parts: RssAnon (the heap: what a leak grows), RssFile (pages of the program's files
        and libraries, mapped in as code runs for the first time), RssShmem."""
        parts = {}
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            key = line.split(":", 1)[0]
            if key in ("VmRSS", "RssAnon", "RssFile", "RssShmem"):
                parts[key] = int(line.split()[1]) / 1024
        if "VmRSS" not in parts:
            raise RuntimeError("no VmRSS")
        return parts

    def cpu_seconds(self) -> float:
        """User + system CPU of the process (all its threads) so far."""
        fields = self._stat()
        return (int(fields[11]) + int(fields[12])) / TICK

    def major_faults(self) -> int:
        """Page faults that had to read from disk so far: code or data pages the kernel had evicted (a machine
        that pages out cold memory, e.g. DAMON's pageout, makes an idle process read its code back)."""
        return int(self._stat()[9])

    def _stat(self) -> list[str]:
        """The process's /proc/PID/stat fields after its name (which may hold spaces): state is [0]."""
        return Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()

    def wait_sweeps(self, n: int, timeout: float) -> None:
        end = time.monotonic() + timeout
        while self.sweeps < n:
            if not self.alive():
                raise RuntimeError(f"the wallboard exited ({self.proc.returncode}): {self.stderr_tail()}")
            if time.monotonic() > end:
                raise RuntimeError(f"no {n} sweeps within {timeout:.0f} s (got {self.sweeps}): {self.stderr_tail()}")
            time.sleep(0.2)

    def stderr_tail(self) -> str:
        text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]", "", self._tail.decode(errors="replace"))
        return text[-2000:]

    def stop(self) -> None:
        """Quit as an operator does (the quit key), so the cockpit cleans up after itself; then signals.
        A second Ctrl-C or SIGTERM waits until this is done: one that came while a soak stopped its wallboard
        left the idle app beside it running (its own process group) after the bench had exited."""
        stop_all(self)

    def _stop(self) -> None:
        with contextlib.suppress(OSError, subprocess.TimeoutExpired):
            os.write(self._master, b"q")
            self.proc.wait(15)
        if self.alive():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        with contextlib.suppress(OSError):
            os.close(self._master)
        shutil.rmtree(self.tmp, ignore_errors=True)


def stop_all(*boards: Wallboard) -> None:
    """Stop every one of ``boards``, with Ctrl-C, SIGTERM and SIGHUP held until all are stopped."""
    held = {signal.SIGINT, signal.SIGTERM, signal.SIGHUP}
    signal.pthread_sigmask(signal.SIG_BLOCK, held)
    failed: BaseException | None = None
    try:
        for board in boards:
            try:
                board._stop()
            except Exception as e:  # the others are stopped all the same
                failed = failed or e
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, held)  # one that came meanwhile is delivered now
    if failed is not None:
        raise failed


def sigterm_exits() -> None:
    """SIGTERM (and SIGHUP) unwind like Ctrl-C, so every ``finally`` tears the lab down."""
    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGHUP, handler)
