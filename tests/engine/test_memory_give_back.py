"""cockpit.memory.give_back: free heap pages held by glibc go back to the system (a wallboard's RSS stays flat)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from cockpit import memory


def rss_mib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) // 1024
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(memory._malloc_trim() is None, reason="no glibc malloc_trim here")
def test_free_pages_of_a_thread_arena_are_given_back() -> None:
    held: list[bytes] = []

    def churn() -> None:  # as the timeline writer's thread does: allocate in its own arena, free most of it
        chunks = [bytes(1000 + i % 7) for i in range(60_000)]  # past pymalloc's 512 bytes: glibc's chunks
        held.extend(chunks[::60])  # one chunk in every ~60 KiB stays: the arena cannot shrink from its top
        del chunks

    worker = threading.Thread(target=churn)
    worker.start()
    worker.join()
    before = rss_mib()
    assert memory.give_back()
    after = rss_mib()
    assert before - after >= 30, f"RSS {before} -> {after} MiB: the ~55 MiB freed in the arena stayed"
    assert len(held) == 1000
