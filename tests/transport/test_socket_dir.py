"""The MySQL tunnels' socket directory lives under the cockpit's run dir, and a
cockpit clears what an earlier, SIGKILLed one left there (never a live one's)."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from cockpit.transport.socket_dir import SUN_PATH_MAX, SocketDir, clear_stale, start_time, tmp_prefix

REPO = str(Path(__file__).resolve().parents[2])
PREFIX = "mysql"


@pytest.fixture
def short(tmp_path: Path) -> Iterator[Path]:
    """A run dir's parent short enough for socket paths (pytest's tmp_path is too deep)."""
    d = Path(tempfile.mkdtemp(prefix="cockpit-sd-test-"))
    try:
        yield d
    finally:
        shutil.rmtree(d, ignore_errors=True)

# a cockpit process that makes its socket directory, says where, and waits to be killed
CHILD = """
import sys, time
from pathlib import Path
from cockpit.transport.socket_dir import SocketDir
d = SocketDir(lambda: Path(sys.argv[1]), "mysql")
print(d.path("t"), flush=True)
time.sleep(600)
"""


def test_the_directory_is_private_and_under_the_run_dir_and_removed_at_close(short: Path) -> None:
    run = short / "state" / "run"
    d = SocketDir(lambda: run, PREFIX)
    first, second = Path(d.path("t")), Path(d.path("t"))
    assert first.parent == second.parent and first != second
    assert first.parent.parent == run
    assert first.parent.name.startswith(f"{PREFIX}-{os.getpid()}-{start_time(os.getpid())}-")
    assert stat.S_IMODE(first.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(run.stat().st_mode) == 0o700
    d.remove()
    assert not first.parent.exists()


def test_two_engines_in_one_process_get_two_directories(short: Path) -> None:
    a, b = SocketDir(lambda: short, PREFIX), SocketDir(lambda: short, PREFIX)
    pa, pb = Path(a.path("t")), Path(b.path("t"))
    assert pa.parent != pb.parent
    a.remove()
    assert pb.parent.is_dir()  # the other engine's sockets are left alone


def test_a_sigkilled_cockpits_directory_is_cleared_by_the_next_one(short: Path) -> None:
    run = short / "run"
    env = {**os.environ, "PYTHONPATH": REPO}
    children = [subprocess.Popen([sys.executable, "-c", CHILD, str(run)], stdout=subprocess.PIPE, text=True,
                                 env=env) for _ in range(2)]
    try:
        dead, alive = (Path(c.stdout.readline().strip()).parent for c in children)  # type: ignore[union-attr]
        assert dead.parent == run and alive.parent == run
        children[0].send_signal(signal.SIGKILL)
        children[0].wait()
        assert dead.is_dir()  # nothing could clean up after SIGKILL
        other = run / "notes"  # not one of ours: never touched
        other.mkdir()
        d = SocketDir(lambda: run, PREFIX)
        mine = Path(d.path("t")).parent
        assert not dead.exists()
        assert alive.is_dir() and other.is_dir() and mine.is_dir()
    finally:
        for c in children:
            c.kill()
            c.wait()


def test_a_reused_pid_does_not_keep_a_dead_owners_directory(tmp_path: Path) -> None:
    pid, started = os.getpid(), start_time(os.getpid())
    assert started is not None
    reused = tmp_path / f"{PREFIX}-{pid}-{started + 1}-abcd1234"  # our pid, but a process started at another time
    live = tmp_path / f"{PREFIX}-{pid}-{started}-abcd1234"
    reused.mkdir()
    live.mkdir()
    assert clear_stale(tmp_path, PREFIX) == [reused]
    assert live.is_dir()


def test_a_run_dir_too_deep_for_a_socket_path_falls_back_to_the_temp_dir(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * (SUN_PATH_MAX - len(str(tmp_path))))
    d = SocketDir(lambda: deep, PREFIX)
    path = d.path("t")
    try:
        assert len(path) <= SUN_PATH_MAX and not path.startswith(str(deep))
        assert Path(path).parent.name.startswith(f"{tmp_prefix(PREFIX)}-{os.getpid()}-")
    finally:
        d.remove()


def test_an_unusable_run_dir_falls_back_to_the_temp_dir(tmp_path: Path) -> None:
    blocker = tmp_path / "state"
    blocker.write_text("a file where the state dir should be")
    d = SocketDir(lambda: blocker / "run", PREFIX)
    try:
        assert not d.path("t").startswith(str(tmp_path))
    finally:
        d.remove()
