"""Where the screens' stylesheets are: ``*.tcss`` next to the code; the App loads them all
(a Screen's own CSS_PATH is not loaded for the App's default screen)."""

from __future__ import annotations

from pathlib import Path


def css_paths() -> list[Path]:
    """Every screen stylesheet, ``app.tcss`` first."""
    here = Path(__file__).parent
    return [here / "app.tcss", *sorted(p for p in here.glob("*.tcss") if p.name != "app.tcss")]
