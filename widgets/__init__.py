"""UI widgets: they render engine state and never do I/O.

Widgets never import ``screens`` (an import-linter contract). Their styles live
in ``*.tcss`` files next to them (see :mod:`widgets.styles`).
"""
