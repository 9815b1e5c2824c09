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


def _from_environment() -> bool:
    """The same rule as Textual's: NO_COLOR set, to anything."""
    return os.environ.get("NO_COLOR") is not None


_mono = [_from_environment()]  # one flag, set by the app (a list: no ``global`` statement)


def follow(app_no_color: bool) -> None:
    """Take the app's own look at NO_COLOR (Textual makes it once, when the app is built). Every cell
    asked os.environ before: a missing key raises and is caught inside it, and that was 9 % of an idle
    wallboard's CPU (bench/idle_cpu.py)."""
    _mono[0] = app_no_color


def no_color() -> bool:
    return _mono[0]


def style(role: Role) -> str:
    return (_MONO if no_color() else _COLOUR)[role]
