"""Helpers for text that comes from hosts, which are assumed broken or hostile.

Host output is bytes. It may be invalid UTF-8, contain NULs, ANSI escapes or
Textual markup. Parsers decode it with :func:`decode` and anything that ends up
on a screen goes through :func:`printable` first (the UI additionally escapes
markup).
"""

from __future__ import annotations

import json
import re

# C0 controls except tab/newline, DEL, C1 controls, and lone escape sequences.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")

MAX_FIELD = 512


def decode(data: bytes | str) -> str:
    """Decode host output without ever raising: invalid bytes become U+FFFD."""
    if isinstance(data, str):
        return data
    return data.decode("utf-8", errors="replace")


def printable(text: str, limit: int = MAX_FIELD) -> str:
    """One line of host text made safe to show: no escapes, no controls, bounded."""
    if text.isprintable() and len(text) <= limit:
        return text  # the common case, at C speed: no ESC, no control, no tab/newline to replace
    text = _ANSI.sub("", text)
    text = _CONTROL.sub("\N{REPLACEMENT CHARACTER}", text.replace("\t", " "))
    text = text.replace("\n", " ").replace("\r", " ")
    if len(text) > limit:
        text = text[: limit - 1] + "\N{HORIZONTAL ELLIPSIS}"
    return text


def load_json(data: bytes | str) -> object | None:
    """JSON a host wrote, or None when it is not JSON. Never raises: besides
    ValueError, nesting deeper than the parser's recursion raises RecursionError."""
    try:
        value: object = json.loads(data)
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return None
    return value
