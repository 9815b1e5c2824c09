"""The TTL a failover lowered, remembered in the state file (cockpit.actions.ttl_memory): it counts for
the same addresses only, until the original TTL has run out since the lowering, and a second lowering
never replaces a longer original with a shorter one."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from cockpit import clock
from cockpit.actions import ttl_memory
from cockpit.engine.statefile import StateFile

T0 = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
WEB1 = ["192.0.2.1"]


@pytest.fixture
def frozen() -> Iterator[None]:
    clock.freeze(T0)
    yield
    clock.freeze(None)


@pytest.mark.usefixtures("frozen")
def test_the_original_ttl_counts_for_the_same_addresses_until_it_has_run_out(tmp_path: Path) -> None:
    sf = StateFile(tmp_path / "state.json")
    ttl_memory.remember(sf, "acme", "acme.example.test", WEB1, original=3600, lowered=60)
    assert ttl_memory.original_ttl(sf.load(), "acme", WEB1) == 3600
    assert ttl_memory.original_ttl(sf.load(), "acme", ["198.51.100.7"]) is None  # moved: says nothing
    assert ttl_memory.original_ttl(sf.load(), "globex", WEB1) is None
    clock.freeze(T0 + timedelta(seconds=3599))
    assert ttl_memory.original_ttl(sf.load(), "acme", WEB1) == 3600
    clock.freeze(T0 + timedelta(seconds=3600))  # no cache holds the old answer with it any more
    assert ttl_memory.original_ttl(sf.load(), "acme", WEB1) is None


@pytest.mark.usefixtures("frozen")
def test_lowering_again_keeps_the_longer_original_and_the_move_forgets_it(tmp_path: Path) -> None:
    sf = StateFile(tmp_path / "state.json")
    ttl_memory.remember(sf, "acme", "acme.example.test", WEB1, original=3600, lowered=60)
    ttl_memory.remember(sf, "acme", "acme.example.test", WEB1, original=60, lowered=30)  # a re-run read 60
    assert ttl_memory.original_ttl(sf.load(), "acme", WEB1) == 3600
    ttl_memory.forget(sf, "acme")
    assert ttl_memory.original_ttl(sf.load(), "acme", WEB1) is None


def test_an_entry_a_human_broke_is_ignored(tmp_path: Path) -> None:
    for entry in ("x", {"addresses": WEB1, "original_ttl": "3600", "at": "2026-11-26T08:00:00Z"},
                  {"addresses": WEB1, "original_ttl": 3600, "at": "yesterday"}, {"addresses": WEB1}):
        assert ttl_memory.original_ttl({"ttl_lowered": {"acme": entry}}, "acme", WEB1) is None
