"""What the disk benchmarks share: children run as an installed cockpit would (byte
code cached), CPU is counted on both sides (the cockpit and the lab's hosts), and
results are written under bench/results/.

* Byte code: with ``PYTHONDONTWRITEBYTECODE`` set (as on the build machines),
  every child would compile all of cockpit from source (~0.4 s on a quiet
  machine); an installed package has its byte code. The children get a private
  ``PYTHONPYCACHEPREFIX`` (a temp dir, removed at the end) and the warm-up run
  fills it, for the floor and the cockpit alike.
* CPU: the lab's hosts share this machine's cores with the cockpit, so a sweep's
  wall time on a busy machine says little; CPU seconds (the child's own, and the
  lab's cgroup) give the bound for an idle machine: (cockpit + hosts) / cores.
* Peak RSS: through GNU time (:func:`rss_wrapped`), not wait4's ``ru_maxrss``:
  a child forked from the benchmark records the benchmark's own RSS as its
  high-water mark when it execs (under a parent holding 200 MiB, ``true``
  reported 216 MiB), so every child looked at least as big as its parent.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
GNU_TIME = "/usr/bin/time"


@dataclass(frozen=True)
class Run:
    wall: float  # seconds
    cpu: float  # the child's user + system seconds
    lab_cpu: float  # the lab hosts' CPU seconds meanwhile (sshd, shells, df, ...)
    rss_kib: int  # the child's peak RSS
    code: int
    stdout: bytes


@contextlib.contextmanager
def child_env() -> Iterator[dict[str, str]]:
    cache = tempfile.mkdtemp(prefix="cockpit-bench-pyc-")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = cache
    try:
        yield env
    finally:
        shutil.rmtree(cache, ignore_errors=True)


@contextlib.contextmanager
def scratch_inventory(prefix: str, text: str) -> Iterator[Path]:
    """A throwaway ``inventory.toml`` (``{dir}`` in ``text`` is its directory, with an empty known_hosts
    there); the directory goes at the end, with the cockpit state the run left in it."""
    d = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        (d / "known_hosts").touch()
        (d / "inventory.toml").write_text(text.replace("{dir}", str(d)))
        yield d / "inventory.toml"
    finally:
        shutil.rmtree(d, ignore_errors=True)


def lab_cpu_seconds(lab_dir: Path) -> float:
    """CPU used so far by everything in the lab's cgroup (cgroup v2 ``cpu.stat``)."""
    state = json.loads((lab_dir / "lab-state.json").read_text())
    for line in (Path(state["cgroup"]) / "cpu.stat").read_text().splitlines():
        if line.startswith("usage_usec "):
            return int(line.split()[1]) / 1e6
    return 0.0


def rss_wrapped(argv: list[str], report: Path) -> list[str]:
    """``argv`` under GNU time, which writes the command's own peak RSS (KiB) to ``report``
    (read it with :func:`peak_rss_kib`); its exit status is the command's."""
    if not Path(GNU_TIME).exists():
        raise SystemExit(f"the benchmarks measure peak RSS with GNU time: install it ({GNU_TIME}, Debian package time)")
    return [GNU_TIME, "-f", "%M", "-o", str(report), *argv]


def peak_rss_kib(report: Path) -> int:
    """The last line GNU time wrote (before it: "Command exited with non-zero status N")."""
    lines = report.read_text().split()
    return int(lines[-1]) if lines and lines[-1].isdigit() else 0


def timed(argv: list[str], env: dict[str, str], lab_dir: Path, ok: tuple[int, ...] = (0, 1, 2, 3)) -> Run:
    """Run a child to its end: wall time, its CPU (wait4), peak RSS (GNU time), and the lab's CPU meanwhile."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(prefix="cockpit-bench-rss-") as rss:
        lab0, start = lab_cpu_seconds(lab_dir), time.perf_counter()
        proc = subprocess.Popen(rss_wrapped(argv, Path(rss.name)), stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        took = time.perf_counter() - start
        lab = lab_cpu_seconds(lab_dir) - lab0
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if code not in ok:
            raise SystemExit(f"{argv[1:4]} failed ({code}): {err.read().decode(errors='replace')[-800:]}")
        return Run(took, usage.ru_utime + usage.ru_stime, lab, peak_rss_kib(Path(rss.name)), code, out.read())


def interrupt_on_sigterm() -> None:
    """SIGTERM ends the benchmark like Ctrl-C does: through its ``finally`` (the lab is removed)."""
    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


def git_commit() -> str:
    """The cockpit's commit (with "+changes" when the tree differs from it): what the figures measured."""
    top = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(["git", "-C", str(top), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(top), "status", "--porcelain", "--", "cockpit", "screens",
                                "widgets", "bench"], capture_output=True, text=True, timeout=10,
                               check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return head + ("+changes" if dirty else "")


STARTED_ON = git_commit()  # when the benchmark started: it runs the code of then, whatever is committed meanwhile


def save(name: str, data: dict[str, object]) -> Path:
    """Write ``data`` to bench/results/NAME-TIME.json, with the commit the run started on (unless it has one)."""
    data.setdefault("commit", STARTED_ON)
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}-{time.strftime('%Y%m%dT%H%M%S', time.gmtime())}.json"
    path.write_text(json.dumps(data, indent=2) + "\n")
    return path
