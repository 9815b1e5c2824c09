"""The whole incident timeline: observed events and actions from the audit log,
merged in time order. Both files are read incrementally (only what was appended
since the last read), so a live view can ask again every second cheaply.
"""

from __future__ import annotations

import threading
from datetime import datetime
from pathlib import Path

from cockpit.inventory.model import Inventory
from cockpit.paths import audit_path
from cockpit.timeline.audit_entries import event_from_audit
from cockpit.timeline.event import Event
from cockpit.timeline.jsonl import JsonlTail
from cockpit.timeline.store import Timeline


class History:
    def __init__(self, timeline: Timeline, audit: Path | None):
        self.timeline = timeline
        self.audit = audit
        self._tail = JsonlTail(audit) if audit is not None else None
        self._actions: list[Event] = []
        self.audit_error: str | None = None
        self._lock = threading.Lock()

    @classmethod
    def for_inventory(cls, inv: Inventory, timeline: Timeline | None = None) -> History:
        tl = timeline if timeline is not None else Timeline.for_inventory(inv)
        try:
            audit: Path | None = audit_path(inv)
        except OSError:
            audit = None
        return cls(tl, audit)

    def entries(self, since: datetime | None = None) -> list[Event]:
        """Every event and action since ``since``, oldest first."""
        with self._lock:
            self._read_audit()
            actions = list(self._actions)
        merged = self.timeline.events() + actions
        merged.sort(key=lambda e: e.at)
        return [e for e in merged if since is None or e.at >= since]

    @property
    def errors(self) -> list[str]:
        return [e for e in (self.timeline.error, self.audit_error) if e]

    def _read_audit(self) -> None:
        if self._tail is None:
            return
        try:
            chunk = self._tail.read_new()
        except OSError as e:
            self.audit_error = f"cannot read the audit log {self.audit}: {e.strerror or e}"
            return
        self.audit_error = None
        if chunk.restarted:
            self._actions.clear()
        for rec in chunk.records:
            if isinstance(rec, dict):
                event = event_from_audit(rec)
                if event is not None:
                    self._actions.append(event)
