"""Markers that carry a fresh nonce, found in host output without a pattern per nonce.

The disk probe and the import poll frame their output with markers that carry a
nonce new for every run (host output cannot forge what it never saw). A
pattern with the nonce in it would be compiled on every run of every host and
churn ``re``'s own cache; instead the nonce's literal tag is found with
``bytes.find`` and only what follows it is matched, by a pattern compiled once.
"""

from __future__ import annotations

import re
from collections.abc import Iterator


def find_markers(data: bytes, tag: bytes, tail: re.Pattern[bytes]) -> Iterator[tuple[int, re.Match[bytes]]]:
    """``(start, match)`` of each ``tag`` that ``tail`` matches right after: what the pattern
    ``\\n?`` + ``re.escape(tag)`` + ``tail`` finds, left to right and not overlapping. A marker takes
    the newline before it (which the commands print) unless the previous marker ended with that
    newline; the marker ends at ``match.end()``."""
    if not tag:
        raise ValueError("a marker's tag cannot be empty")
    pos = last_end = 0
    while (at := data.find(tag, pos)) != -1:
        m = tail.match(data, at + len(tag))
        if m is None:
            pos = at + 1
            continue
        yield (at - 1 if at > last_end and data[at - 1] == 0x0A else at), m
        pos = last_end = m.end()
