"""The ``transfers`` part of ``status --json`` (issue 5's contract, additions only).

A failed or unverified import is critical, a stalled one a warning; a
destination whose import state cannot be read makes the status at least unknown.
"""

from __future__ import annotations

from typing import Any

from cockpit import clock
from cockpit.engine.engine import Engine
from cockpit.severity import Severity, worst
from cockpit.transfers.model import ImportStatus, TransferState


def import_json(s: ImportStatus) -> dict[str, Any]:
    v = s.verification
    return {
        "site": s.site,
        "source": s.source,
        "destination": s.destination,
        "state": s.state.value,
        "exit_code": s.exit_code,
        "bytes_done": s.bytes_done,
        "bytes_total": s.bytes_total,
        "files_done": s.files_done,
        "files_total": s.files_total,
        "rate_bps": int(s.rate_bps) if s.rate_bps is not None else None,
        "eta_seconds": s.eta_seconds,
        "started_at": clock.iso(s.started_at),
        "updated_at": clock.iso(s.updated_at),
        # additions
        "severity": s.severity.value,
        "reason": s.reason,
        "error": s.error,
        "run": s.run,
        "resumes": s.resumes,
        "differences": list(v.differences) if v is not None else [],
        "cause": s.cause if s.state is TransferState.FAILED else None,  # rsync's own words for why
    }


def transfers_part(engine: Engine) -> tuple[list[dict[str, Any]], Severity]:
    t = engine.transfers
    imports = sorted((s for s in t.imports.values() if s.state is not TransferState.NOT_STARTED),
                     key=lambda s: (s.site, s.destination_host))
    severities = [s.severity for s in imports]
    if t.host_errors:
        severities.append(Severity.UNKNOWN)
    return [import_json(s) for s in imports], worst(severities)
