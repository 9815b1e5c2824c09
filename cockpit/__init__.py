"""cockpit: the engine of a terminal incident cockpit for hosting fleets.

This package never imports textual: the UI lives in the top-level ``screens``
and ``widgets`` packages and only renders the engine's state.
"""

__version__ = "0.1.0"
