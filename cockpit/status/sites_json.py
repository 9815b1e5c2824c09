"""The ``sites`` part of ``status --json`` and its share of the top-level severity."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cockpit.severity import Severity
from cockpit.tables.to_json import sites_json, sites_severity

if TYPE_CHECKING:
    from cockpit.engine.engine import Engine


def sites_part(engine: Engine, *, tables: bool = True) -> tuple[list[dict[str, Any]], Severity]:
    """A corrupt table makes the status critical; a site that cannot be vouched for, at least unknown.
    ``tables=False`` leaves out each site's ``tables`` list."""
    checker = engine.tables
    stale_after = checker.recheck_interval * 2 + 60
    sites = list(checker.sites.values())
    cache = checker.verdicts
    return (sites_json(sites, stale_after, tables=tables, verdicts=cache),
            sites_severity(sites, stale_after, verdicts=cache))
