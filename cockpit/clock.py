"""The one place the engine and UI read wall-clock time, so tests can freeze it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

_override: Callable[[], datetime] | None = None


def now() -> datetime:
    """Current time, timezone-aware UTC."""
    return _override() if _override is not None else datetime.now(UTC)


def freeze(at: datetime | None) -> None:
    """Make :func:`now` return ``at`` (None: real time again). For tests and snapshots."""
    global _override  # noqa: PLW0603 - one process-wide clock, by design
    _override = None if at is None else (lambda: at)


def iso(t: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z, seconds precision (the JSON contract's format)."""
    if t is None:
        return None
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
