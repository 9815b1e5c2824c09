"""Styles by meaning. Under NO_COLOR, Textual greys every colour by its
luminance, which would turn red (the most urgent thing on screen) into the
darkest grey; so each meaning has a monochrome style of its own that stands
out by weight and reverse video instead."""

from __future__ import annotations

import os
from typing import Literal

Role = Literal["critical", "bad", "warning", "unknown", "ok", "muted"]

_COLOUR: dict[Role, str] = {
    "critical": "bold red",
    "bad": "red",
    "warning": "bold yellow",
    "unknown": "bold magenta",
    "ok": "green",
    "muted": "dim",
}
_MONO: dict[Role, str] = {
    "critical": "bold reverse",
    "bad": "bold",
    "warning": "bold underline",
    "unknown": "bold italic",
    "ok": "",
    "muted": "dim",
}


def no_color() -> bool:
    """The same rule as Textual's: NO_COLOR set, to anything."""
    return os.environ.get("NO_COLOR") is not None


def style(role: Role) -> str:
    return (_MONO if no_color() else _COLOUR)[role]
