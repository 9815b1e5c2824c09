"""Discovery in two steps: names and engines first, each database's sizes with
its CHECKs. What is known about a table is never lost on the way."""

from __future__ import annotations

from datetime import UTC, datetime

from cockpit.tables.model import SiteState, TableCheck, TableState, TableStatus
from cockpit.tables.site_updates import apply_discovery, apply_names, apply_stats, parse_discovery

AT = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)


def _site() -> SiteState:
    site = SiteState("acme", "web1", "acme")
    apply_discovery(site, parse_discovery([(b"acme", b"worker", b"Aria", 400, 8192, 1024, b""),
                                           (b"acme", b"ticket", b"InnoDB", 1500, 65536, 0, b"")])["acme"])
    site.tables["worker"] = TableState(site.tables["worker"].info, TableCheck(TableStatus.CORRUPT, (), AT))
    return site


def test_names_keep_known_sizes_and_results_add_new_tables_and_drop_gone_ones() -> None:
    site = _site()
    apply_names(site, parse_discovery([(b"acme", b"worker", b"Aria"), (b"acme", b"session", b"MyISAM")])["acme"])
    assert sorted(site.tables) == ["session", "worker"]
    worker = site.tables["worker"]
    assert (worker.info.rows, worker.info.data_length, worker.status) == (400, 8192, TableStatus.CORRUPT)
    assert (site.tables["session"].info.engine, site.tables["session"].info.rows) == ("MyISAM", None)


def test_sizes_come_in_later_and_a_table_that_cannot_be_opened_keeps_its_engine() -> None:
    site = _site()
    apply_names(site, parse_discovery([(b"acme", b"worker", b"Aria"), (b"acme", b"ticket", b"InnoDB")])["acme"])
    before = site.version
    apply_stats(site, parse_discovery([
        (b"acme", b"worker", None, None, None, None, b"Table './acme/worker' is marked as crashed"),
        (b"acme", b"ticket", b"InnoDB", 1600, 65536, 0, b""),
        (b"acme", b"not_discovered", b"InnoDB", 1, 1, 1, b"")])["acme"])
    assert site.version > before
    assert sorted(site.tables) == ["ticket", "worker"]  # a table first seen here waits for the next discovery
    worker = site.tables["worker"]
    assert (worker.info.engine, worker.info.rows, worker.status) == ("Aria", 400, TableStatus.CORRUPT)
    assert "marked as crashed" in worker.info.comment
    assert site.tables["ticket"].info.rows == 1600
