"""What a parser returns: everything it could read, plus what it could not."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Parsed(Generic[T]):
    items: tuple[T, ...] = ()
    problems: tuple[str, ...] = ()  # printable, one per line that could not be parsed
