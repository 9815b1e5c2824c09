"""CHECK TABLE rows and information_schema rows from a hostile server, fuzzed
through the checker's boundary (``classify_rows`` and ``parse_discovery``, what
``ServerCheck`` calls on every reply) and on into the sites pane and the site
detail screen's rendering helpers."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hostile_fuzz import FUZZ, MARK, assert_safe_strings, assert_safe_text, hostile_bytes, hostile_text, ran
from hypothesis import given
from hypothesis import strategies as st

from cockpit.tables.classify import MAX_MESSAGES, classify_rows
from cockpit.tables.model import SiteState, TableCheck, TableState, TableStatus
from cockpit.tables.site_updates import apply_discovery, apply_names, apply_stats, parse_discovery
from widgets.site_rows import site_row
from widgets.site_tables import messages_text, table_row

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)
_CAPTURED = json.loads((Path(__file__).resolve().parents[1] / "data" / "tables" / "check_output.json").read_text())
REAL_TEXT = sorted({str(c).encode() for case in _CAPTURED.values() if isinstance(case, dict)
                    for r in case.get("rows", []) for c in r})

# A column as aiomysql hands it over: bytes (use_unicode=False), str, a number, NULL.
column = st.one_of(hostile_bytes(REAL_TEXT, max_size=80), hostile_text, st.none(), st.integers(-2**70, 2**70),
                   st.sampled_from([b"status", b"error", b"Error", b"warning", b"note", b"OK", b"Corrupt"]))
check_rows = st.lists(st.lists(column, min_size=0, max_size=6).map(tuple), max_size=MAX_MESSAGES + 5)
discovery_rows = st.lists(st.lists(column, min_size=0, max_size=8).map(tuple), max_size=6)


@FUZZ
@given(check_rows, st.one_of(hostile_text, st.sampled_from(["worker", "t`1", MARK, "\x1b[31mred"])))
def test_check_rows_classify_and_render_safely(rows: list[tuple[Any, ...]], table: str) -> None:
    ran("tables: CHECK TABLE rows")
    status, messages = classify_rows(rows)
    assert isinstance(status, TableStatus) and len(messages) <= MAX_MESSAGES
    assert_safe_strings(messages)
    if status is TableStatus.OK:
        assert messages and messages[-1].type in ("status", "note")
    site = SiteState("acme", "db1", "acme")
    apply_discovery(site, parse_discovery([(b"acme", table.encode("utf-8", "surrogatepass"), b"InnoDB", 1, 2, 3,
                                            b"")])["acme"])
    name = next(iter(site.tables))
    site.tables[name] = TableState(site.tables[name].info, TableCheck(status, messages, NOW))
    t = site.tables[name]
    for cell in table_row(t, NOW, None).cells:
        assert_safe_text(cell)
    assert_safe_text(messages_text(t, NOW), multiline=True)
    for cell in site_row(site, NOW).cells:
        assert_safe_text(cell)


@FUZZ
@given(discovery_rows)
def test_discovery_rows_never_raise_and_render_safely(rows: list[tuple[Any, ...]]) -> None:
    ran("tables: information_schema rows")
    found = parse_discovery(rows)
    for db, tables in found.items():
        site = SiteState("acme", "db1", db)
        apply_discovery(site, tables)
        apply_names(site, tables)  # the quick discovery's rows, then each database's sizes
        apply_stats(site, tables)
        for t in site.tables.values():
            for cell in table_row(t, NOW, None).cells:
                assert_safe_text(cell)
            assert_safe_text(messages_text(t, NOW), multiline=True)
