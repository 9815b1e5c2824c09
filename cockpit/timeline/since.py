"""``--since``: a time of day, a date and time, or how long ago."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

_AGO = re.compile(r"^(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|d|w)$", re.IGNORECASE)
_UNIT = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "d": 86400, "w": 604800}
HELP = ("'30m', '2h', '1d' (that long ago), '19:30' (today, UTC; yesterday if still to come), "
        "or '2026-11-25T19:30' / '2026-11-25 19:30:00Z' (UTC unless an offset is given)")


def parse_since(text: str, now: datetime) -> datetime:
    """Raises ValueError with a message saying what is accepted."""
    s = text.strip()
    m = _AGO.match(s)
    if m:
        return now - timedelta(seconds=float(m.group(1)) * _UNIT[m.group(2).lower()])
    try:
        if re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", s):
            hour, _, rest = s.partition(":")
            t = time.fromisoformat(f"{int(hour):02d}:{rest}")
            at = datetime.combine(now.astimezone(UTC).date(), t, tzinfo=UTC)
            return at - timedelta(days=1) if at > now else at
        at = datetime.fromisoformat(s)
    except ValueError:
        raise ValueError(f"cannot read {text!r} as a time: use {HELP}") from None
    return at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
