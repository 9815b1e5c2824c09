"""Transport failures, split by what the operator must do about them."""

from __future__ import annotations

from cockpit.engine.hoststate import Reach


class HostDown(Exception):
    """The host cannot be used at all: unreachable, untrusted key, or an SSH error.

    ``reach`` says which; ``str()`` is a one-line message for the operator.
    """

    def __init__(self, reach: Reach, message: str):
        self.reach = reach
        super().__init__(message)


class ProbeError(Exception):
    """One command failed (timed out, output too large, channel lost); the host may be fine."""
