"""What the transfers poll tells the incident timeline: each import's phase.

Scanning, running, verifying and done are one phase ("in-progress"), so a
healthy import makes two events (started, verified) and progress makes none.
"""

from __future__ import annotations

from collections.abc import Iterable

from cockpit.timeline.event import Observation
from cockpit.transfers.model import ImportStatus, TransferState

_PHASE = {TransferState.SCANNING: "in-progress", TransferState.RUNNING: "in-progress",
          TransferState.VERIFYING: "in-progress", TransferState.DONE: "in-progress"}
_WORDS = {"in-progress": "import running", "stalled": "import stalled", "failed": "import failed",
          "verified": "import verified", "unverified": "import NOT verified"}


def import_observations(statuses: Iterable[ImportStatus]) -> list[Observation]:
    out = []
    for s in statuses:
        if s.error is not None or s.state in (TransferState.NOT_STARTED, TransferState.UNKNOWN):
            continue  # nothing new is known about it
        phase = _PHASE.get(s.state, s.state.value)
        why = f": {s.reason}" if s.reason and phase != "in-progress" else ""
        evidence: dict[str, object] = {"probe": f"import state directory on {s.destination_host} over SSH",
                                       "source": s.source, "destination": s.destination, "run": s.run}
        if s.exit_code is not None:
            evidence["exit_code"] = s.exit_code
        out.append(Observation(fact=f"transfer/{s.key}/phase", value=phase, normal="verified",
                               kind=f"transfer.{phase}", subject=s.key,
                               summary=f"{s.site} {_WORDS.get(phase, phase)} ({s.source} → {s.destination}){why}",
                               severity=s.severity, evidence=evidence, at=s.updated_at))
    return out
