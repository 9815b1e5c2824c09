"""Inventory errors: every one names the file, the key path and what was expected."""

from __future__ import annotations


class InventoryError(Exception):
    """A problem in an inventory file. ``str()`` is the message shown to the user."""

    def __init__(self, file: str, key: str, expected: str, got: object = None, *, line: int | None = None):
        self.file = file
        self.key = key
        self.expected = expected
        self.got = got
        self.line = line
        where = f"{file}:{line}" if line is not None else file
        msg = f"{where}: {key}: {expected}" if key else f"{where}: {expected}"
        if got is not None:
            msg += f" (got {_show(got)})"
        super().__init__(msg)


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
