"""The ``sites`` part of ``status --json`` (a contract: add keys, never rename)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from cockpit import clock
from cockpit.severity import Severity, worst
from cockpit.tables.model import SiteState, TableState
from cockpit.tables.verdict import is_stale, verdict
from cockpit.tables.verdict_cache import VerdictCache


def table_json(t: TableState, now: datetime, stale_after: float | None) -> dict[str, Any]:
    c = t.check
    return {
        "name": t.info.name,
        "engine": t.info.engine,
        "rows": t.info.rows,
        "data_length": t.info.data_length,
        "index_length": t.info.index_length,
        "status": t.status.value,
        "messages": [] if c is None else [{"type": m.type, "text": m.text} for m in c.messages],
        "error": None if c is None else c.error,
        "extended": False if c is None else c.extended,
        "checked_at": clock.iso(t.checked_at),
        "stale": is_stale(t, now, stale_after),
        "stale_reason": t.stale_reason,
    }


def site_json(s: SiteState, now: datetime, stale_after: float | None = None, *,
              tables: bool = True, verdicts: VerdictCache | None = None) -> dict[str, Any]:
    """``tables=False``: every key but ``tables`` (the wallboard's problem list reads only the verdict,
    every 2 s; building each table's entry was most of its cost). ``verdicts``: a cache to read them from."""
    v = verdicts.get(s, now, stale_after) if verdicts is not None else verdict(s, now, stale_after)
    out: dict[str, Any] = {
        "name": s.name,
        "host": s.host,
        "database": s.database,
        "state": v.state.value,
        "severity": v.severity.value,
        "error": s.error,
        "error_at": clock.iso(s.failed_at) if s.error is not None else None,  # when the error was seen
        "checked_at": clock.iso(s.checked_at),
        "tables_total": v.total,
        "tables_checked": v.checked,
        "corrupt_tables": list(v.corrupt),
    }
    if tables:
        out["tables"] = [table_json(s.tables[n], now, stale_after) for n in sorted(s.tables)]
    return out


def sites_json(sites: Iterable[SiteState], stale_after: float | None = None, *,
               tables: bool = True, verdicts: VerdictCache | None = None) -> list[dict[str, Any]]:
    now = clock.now()
    return [site_json(s, now, stale_after, tables=tables, verdicts=verdicts) for s in sites]


def sites_severity(sites: Iterable[SiteState], stale_after: float | None = None, *,
                   verdicts: VerdictCache | None = None) -> Severity:
    now = clock.now()
    if verdicts is not None:
        return worst(verdicts.get(s, now, stale_after).severity for s in sites)
    return worst(verdict(s, now, stale_after).severity for s in sites)
