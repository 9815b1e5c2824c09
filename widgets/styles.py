"""Where the widgets' stylesheets are: ``*.tcss`` next to the code; the App loads them all."""

from __future__ import annotations

from pathlib import Path


def css_paths() -> list[Path]:
    """Every widget stylesheet, in a stable order."""
    return sorted(Path(__file__).parent.glob("*.tcss"))
