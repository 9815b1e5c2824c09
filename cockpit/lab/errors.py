"""The one error type the lab raises: a clear, one-line message for the user."""

from __future__ import annotations


class LabError(Exception):
    """Something the user can act on (not root, unknown host, unsafe mountpoint...).

    The CLI prints ``str(e)`` on one line and exits non-zero; never a traceback.
    """
