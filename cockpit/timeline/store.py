"""The timeline store: an append-only JSONL file next to the audit log.

One :class:`Timeline` per engine. ``observe`` records an event only when a
fact's value differs from the last value recorded for it, by this process or
any other appending to the same file (a wallboard and an engineer's cockpit);
the check and the append happen under the file's exclusive lock, so two
processes that see the same change record it once. A restarted cockpit reads
the file first, so it does not record again what was already known. An
observation older than the fact's last event is stale and ignored.

The file is rotated by size (``timeline-000001.jsonl`` ...; never deleted)
and read back across every segment (:mod:`cockpit.timeline.segments`).

Writing is best effort: when the file cannot be written, the timeline keeps
events in memory and says why in :attr:`Timeline.error` (observing never
breaks a sweep).

A long-lived cockpit (a wallboard left on for weeks) keeps only the latest
``keep`` events in memory (:data:`ENGINE_KEEP`); the files keep them all, and a
report (``cockpit timeline``) reads them all. What a fact's last value is, is
kept for every fact either way.
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from cockpit.audit.log import Actor
from cockpit.inventory.model import Inventory
from cockpit.paths import state_dir
from cockpit.timeline.event import Event, Observation, event_from_json
from cockpit.timeline.jsonl import write_records
from cockpit.timeline.segments import DEFAULT_ROTATE_BYTES, SegmentedTail, locked_for_append, rotate_if_over

log = logging.getLogger(__name__)
FILE_NAME = "timeline.jsonl"
ENGINE_KEEP = 20_000  # events a long-lived engine keeps in memory (~20 MB; weeks of a faulty fleet)


def timeline_path(inv: Inventory) -> Path:
    """``timeline.jsonl`` in the inventory's state directory (next to ``audit.jsonl``)."""
    return state_dir(inv) / FILE_NAME


class Timeline:
    def __init__(self, path: Path | None, *, by: str | None = None, rotate_bytes: int = DEFAULT_ROTATE_BYTES,
                 keep: int | None = None):
        """``path=None`` keeps events in memory only; the file is rotated past ``rotate_bytes``.
        ``keep``: how many of the latest events stay in memory (None: all)."""
        self.path = path
        self.rotate_bytes = rotate_bytes
        self.by = by if by is not None else str(Actor.current())
        self.error: str | None = None  # why events are not being written, if they are not
        self.corrupt_lines = 0
        self._tail = SegmentedTail(path) if path is not None else None
        self._events: deque[Event] = deque(maxlen=keep)
        self.forgotten = 0  # events dropped from memory (still in the files) to stay within ``keep``
        self._last: dict[str, Event] = {}
        self._lock = threading.Lock()

    @classmethod
    def for_inventory(cls, inv: Inventory, *, keep: int | None = None) -> Timeline:
        try:
            return cls(timeline_path(inv), keep=keep)
        except OSError as e:
            tl = cls(None, keep=keep)
            tl.error = f"cannot use the state directory: {e}"
            return tl

    def observe(self, obs: Observation) -> Event | None:
        """Record ``obs`` if it changes its fact; returns the event recorded, if any."""
        events = self.observe_many([obs])
        return events[0] if events else None

    def observe_many(self, observations: Iterable[Observation]) -> list[Event]:
        with self._lock:
            self._refresh()
            pending = [o for o in observations if self._changes(o)]
            if not pending:
                return []
            return self._append(pending, [])

    def record(self, event: Event) -> Event:
        """Record ``event`` unconditionally (something done rather than seen)."""
        with self._lock:
            self._refresh()
            recorded = self._append([], [event if event.by else replace(event, by=self.by)])
            return recorded[0] if recorded else event

    def events(self, since: datetime | None = None) -> list[Event]:
        """Every event (from every process), oldest first."""
        with self._lock:
            self._refresh()
            events = sorted(self._events, key=lambda e: e.at)
        return [e for e in events if since is None or e.at >= since]

    def last(self, fact: str) -> Event | None:
        """The latest event of ``fact`` known to this process (no file read)."""
        return self._last.get(fact)

    # -- inside the lock -------------------------------------------------

    def _changes(self, obs: Observation) -> bool:
        last = self._last.get(obs.fact)
        if obs.value == (last.value if last is not None else obs.normal):
            return False
        return last is None or obs.at is None or obs.at >= last.at

    def _event(self, obs: Observation) -> Event:
        last = self._last.get(obs.fact)
        return Event.from_observation(obs, last.value if last is not None else None, self.by)

    def _append(self, observations: list[Observation], events: list[Event]) -> list[Event]:
        if self.path is not None:
            try:
                return self._append_to_file(observations, events)
            except OSError as error:
                self._give_up_file(error)
        new = [*(self._event(o) for o in observations), *events]
        for e in new:
            self._remember(e)
        return new

    def _append_to_file(self, observations: list[Observation], events: list[Event]) -> list[Event]:
        assert self.path is not None
        with locked_for_append(self.path) as fd:
            self._refresh()  # another process may have recorded the same change meanwhile
            docs = [self._event(o).to_json() for o in observations if self._changes(o)]
            docs += [e.to_json() for e in events]
            if not docs:
                return []
            write_records(fd, docs)
            written = self._refresh()  # what we wrote, as stored (and as any other reader sees it)
            rotate_if_over(self.path, fd, self.rotate_bytes)  # still under the lock: no writer is mid-append
            return written

    def _refresh(self) -> list[Event]:
        """Read what was appended since the last read; the new events."""
        if self._tail is None:
            return []
        try:
            chunk = self._tail.read_new()
        except OSError as e:
            self._give_up_file(e)
            return []
        if chunk.restarted:  # the file was replaced or removed: it is the truth
            self._events.clear()
            self._last.clear()
            self.corrupt_lines = self.forgotten = 0
        self.corrupt_lines += chunk.corrupt
        new: list[Event] = []
        for doc in chunk.records:
            event = event_from_json(doc)
            if event is None:
                self.corrupt_lines += 1
            else:
                self._remember(event)
                new.append(event)
        return new

    def _remember(self, event: Event) -> None:
        if self._events.maxlen is not None and len(self._events) == self._events.maxlen:
            self.forgotten += 1
        self._events.append(event)
        if event.fact is not None:
            self._last[event.fact] = event

    def _give_up_file(self, error: OSError) -> None:
        self.error = f"cannot write {self.path}: {error.strerror or error}"
        log.warning("timeline: %s; keeping events in memory", self.error)
        self.path, self._tail = None, None
