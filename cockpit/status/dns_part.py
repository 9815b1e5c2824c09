"""The ``dns`` part of ``status --json`` and its share of the top-level severity."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cockpit.dns.to_json import dns_json, dns_meta_json
from cockpit.severity import Severity

if TYPE_CHECKING:
    from cockpit.engine.engine import Engine


def dns_part(engine: Engine) -> tuple[list[dict[str, Any]], dict[str, Any] | None, Severity]:
    """(the ``dns`` list, the ``dns_servers`` facts, the severity): a site not fully
    propagated is a warning; one nobody resolves is critical. No ``[dns]``: nothing, ok."""
    monitor = getattr(engine, "dns", None)
    if monitor is None or not monitor.enabled or monitor.report is None:
        return [], None, Severity.OK
    report = monitor.report
    return dns_json(report), dns_meta_json(report), report.severity
