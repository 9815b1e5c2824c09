"""Shared helpers for the disk probe tests: fixture files and a no-control-character check."""

from __future__ import annotations

import dataclasses
import enum
import re
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "data" / "disk"
# What must never reach a screen from a host: C0/C1 controls (ESC included), DEL.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def data(name: str) -> bytes:
    return (DATA / name).read_bytes()


def strings(obj: Any) -> list[str]:
    """Every str inside a (nested) dataclass / tuple / dict, for "nothing unsafe leaked" checks."""
    if isinstance(obj, enum.Enum):
        return []
    if isinstance(obj, str):
        return [obj]
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return [s for f in dataclasses.fields(obj) for s in strings(getattr(obj, f.name))]
    if isinstance(obj, dict):
        return [s for k, v in obj.items() for s in strings(k) + strings(v)]
    if isinstance(obj, (list, tuple, set, frozenset)):
        return [s for item in obj for s in strings(item)]
    return []


def assert_safe(obj: Any) -> None:
    for s in strings(obj):
        assert not CONTROL.search(s), f"control character in {s!r}"
