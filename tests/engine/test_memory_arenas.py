"""cockpit.memory.limit_arenas: threads share a capped number of glibc arenas (their free chunks were the
soak's RSS step: bench/soak.py), and MALLOC_ARENA_MAX set by the operator wins."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cockpit import memory

ROOT = Path(__file__).resolve().parents[2]

# Six threads allocate at the same time (past pymalloc's 512 bytes: glibc's chunks), then glibc's own
# report (malloc_info) says how many heaps (arenas) the process has.
PROBE = """
import ctypes, os, sys, tempfile, threading
from cockpit import memory
print(memory.limit_arenas(int(sys.argv[1])) if sys.argv[1] != "-" else None, file=sys.stderr)
held, barrier = [], threading.Barrier(6)
def work():
    barrier.wait()
    held.append([bytes(2000) for _ in range(2000)])
threads = [threading.Thread(target=work) for _ in range(6)]
[t.start() for t in threads]
[t.join() for t in threads]
libc = ctypes.CDLL("libc.so.6")
libc.fopen.restype, libc.fopen.argtypes = ctypes.c_void_p, [ctypes.c_char_p, ctypes.c_char_p]
libc.malloc_info.argtypes, libc.fclose.argtypes = [ctypes.c_int, ctypes.c_void_p], [ctypes.c_void_p]
fd, path = tempfile.mkstemp()
os.close(fd)
f = libc.fopen(path.encode(), b"w")
libc.malloc_info(0, f)
libc.fclose(f)
print(open(path).read().count("<heap nr="))
os.unlink(path)
"""


def heaps(cap: str, **env: str) -> int:
    environ = {k: v for k, v in os.environ.items() if k != "MALLOC_ARENA_MAX"} | env
    out = subprocess.run([sys.executable, "-c", PROBE, cap], cwd=ROOT, env=environ, capture_output=True,
                         text=True, check=True)
    return int(out.stdout.strip())


@pytest.mark.skipif(sys.platform != "linux", reason="glibc's arenas")
def test_threads_share_the_capped_arenas_and_the_environment_wins() -> None:
    assert heaps("-") > 2  # glibc's default: an arena per thread that allocates at once (8 per core)
    assert heaps("1") == 1
    assert heaps("1", MALLOC_ARENA_MAX="3") > 1  # the operator's setting is left alone


def test_the_environment_decides_when_it_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert memory.limit_arenas() is False
