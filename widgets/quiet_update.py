"""Update a Static only when what it shows changes, with a layout pass only when its size may change.

``Static.update`` always asks for a layout pass of the whole screen. Timers and
polls re-render the same text over and over (the header's "swept 3 seconds ago"
every second, the wallboard's counts and lists every 2 s): on an idle wallboard
those layout passes were most of its CPU (bench/idle_cpu.py). Unchanged text is
skipped; text whose lines keep their widths in cells is repainted in place.
"""

from __future__ import annotations

from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Digits, Static


def _key(content: Any) -> Any:
    if isinstance(content, Text):  # Text.__eq__ ignores the Text's own style and wrapping
        return (content.plain, tuple(content.spans), str(content.style), content.justify, content.overflow,
                content.no_wrap, content.end)
    return content if isinstance(content, str) else None


def _shape(content: Any) -> tuple[int, ...] | None:
    """Cells per line (None: not known without rendering)."""
    plain = content.plain if isinstance(content, Text) else content if isinstance(content, str) else None
    return None if plain is None else tuple(cell_len(line) for line in plain.split("\n"))


def show(static: Static, content: Text | str, *, fixed: bool = False) -> bool:
    """``static.update(content)`` unless it shows that already; returns whether it changed.
    ``fixed``: the widget's size never depends on its text (CSS sets it): never a layout pass."""
    old = static.content
    if type(old) is type(content) and _key(old) is not None and _key(old) == _key(content):
        return False
    old_shape = _shape(old)
    static.update(content, layout=not fixed and (old_shape is None or old_shape != _shape(content)))
    return True


def show_digits(digits: Digits, value: str) -> None:
    if digits.value != value:
        digits.update(value)
