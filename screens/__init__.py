"""UI screens and the Textual App. They render engine state and send it commands; no I/O.

Styles live in ``*.tcss`` files next to the screens (see :mod:`screens.styles`).
"""
