"""Counts in words: "1 table", "2 tables", "0 tables" (never "1 tables" or "table(s)")."""

from __future__ import annotations


def noun(n: int, singular: str, plural: str | None = None) -> str:
    """The noun that goes with ``n``: ``singular`` for exactly one, else ``plural`` (default: + "s")."""
    return singular if n == 1 else (plural if plural is not None else singular + "s")


def count(n: int, singular: str, plural: str | None = None) -> str:
    """``n`` and its noun: ``count(1, "table")`` is "1 table", ``count(3, "table")`` is "3 tables"."""
    return f"{n} {noun(n, singular, plural)}"
