"""Captured real CHECK TABLE output (tests/data/tables/check_output.json, made
by tests/tables/capture_check_output.py against the lab's MariaDB 10.11)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parents[1] / "data" / "tables"


@cache
def cases() -> dict[str, Any]:
    return dict(json.loads((DATA / "check_output.json").read_text()))


def rows(case: str) -> list[tuple[Any, ...]]:
    """The rows as aiomysql hands them over (use_unicode=False: text columns are bytes)."""
    return [tuple(c.encode() if isinstance(c, str) else c for c in r) for r in cases()[case]["rows"]]
