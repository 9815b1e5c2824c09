"""What the transfers engine tells the timeline and status --json."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from cockpit.inventory.model import Defaults, Host, Inventory
from cockpit.severity import Severity
from cockpit.status.transfers_json import transfers_part
from cockpit.transfers.model import ImportStatus, TransferState
from cockpit.transfers.timeline_facts import import_observations


def st(state: TransferState, site: str = "acme", **kw: object) -> ImportStatus:
    return ImportStatus(key=f"{site}@web2", site=site, source=f"backup1:/backup/storage/{site}",
                        destination=f"web2:/storage/{site}", destination_host="web2", state=state,
                        run="r1", **kw)  # type: ignore[arg-type]


def test_progress_is_one_phase_and_failures_say_why() -> None:
    phases = [o.value for o in import_observations([st(s) for s in (TransferState.SCANNING, TransferState.RUNNING,
                                                                    TransferState.VERIFYING, TransferState.DONE)])]
    assert phases == ["in-progress"] * 4
    failed = import_observations([st(TransferState.FAILED, reason="11: error in file I/O", exit_code=11)])[0]
    assert failed.kind == "transfer.failed" and failed.severity is Severity.CRITICAL
    assert failed.summary.endswith(": 11: error in file I/O") and failed.evidence["exit_code"] == 11
    assert failed.fact == "transfer/acme@web2/phase" and failed.normal == "verified"
    # a host that cannot be asked says nothing new; sites never started are not events
    assert import_observations([st(TransferState.RUNNING, error="web2: unreachable"),
                                st(TransferState.NOT_STARTED)]) == []


def _engine(imports: list[ImportStatus], host_errors: dict[str, str] | None = None) -> SimpleNamespace:
    t = SimpleNamespace(imports={s.key: s for s in imports}, host_errors=host_errors or {})
    inv = Inventory(path=Path("/x"), defaults=Defaults(), hosts=(Host("web2", "198.18.0.2"),))
    return SimpleNamespace(transfers=t, inventory=inv)


def test_status_json_entries_and_severity() -> None:
    doc, sev = transfers_part(_engine([st(TransferState.VERIFIED, site="a"),  # type: ignore[arg-type]
                                       st(TransferState.STALLED, site="b", bytes_done=5, bytes_total=10,
                                          rate_bps=0.0)]))
    assert sev is Severity.WARNING
    assert [d["site"] for d in doc] == ["a", "b"]
    b = doc[1]
    assert {k: b[k] for k in ("state", "bytes_done", "bytes_total", "rate_bps", "exit_code", "severity")} == \
        {"state": "stalled", "bytes_done": 5, "bytes_total": 10, "rate_bps": 0, "exit_code": None,
         "severity": "warning"}
    assert set(b) >= {"site", "source", "destination", "state", "exit_code", "bytes_done", "bytes_total",
                      "files_done", "files_total", "rate_bps", "eta_seconds", "started_at", "updated_at"}
    json.dumps(doc)
    failed_doc, failed = transfers_part(_engine([st(TransferState.FAILED, exit_code=255, errors=(  # type: ignore[arg-type]
        "Timeout, server 198.18.0.9 not responding.", "rsync error: unexplained error (code 255)"))]))
    assert failed is Severity.CRITICAL and failed_doc[0]["cause"] == "Timeout, server 198.18.0.9 not responding."
    assert b["cause"] is None  # only a failed import says why it stopped
    _, unknown = transfers_part(_engine([], {"web2": "web2: unreachable"}))  # type: ignore[arg-type]
    assert unknown is Severity.UNKNOWN
    empty, ok = transfers_part(_engine([st(TransferState.NOT_STARTED)]))  # type: ignore[arg-type]
    assert empty == [] and ok is Severity.OK
