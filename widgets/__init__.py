"""UI widgets: they render engine state and never do I/O.

Widgets never import ``screens`` (an import-linter contract). Their styles live
in ``*.tcss`` files next to them; the App loads them all (see :func:`css_paths`).
"""

from __future__ import annotations

from pathlib import Path


def css_paths() -> list[Path]:
    """Every widget stylesheet, in a stable order."""
    return sorted(Path(__file__).parent.glob("*.tcss"))
