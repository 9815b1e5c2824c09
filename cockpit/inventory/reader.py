"""Typed, strict access to one TOML table, with key paths for error messages.

Each section module of the inventory reads its table through a :class:`Table`.
Reading a key marks it used; :meth:`Table.finish` rejects any key that was not
read, so a typo such as ``ssh_prot`` is an error and never silently ignored.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from cockpit.inventory.errors import InventoryError

T = TypeVar("T")

_MISSING = object()
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")
HOSTNAME_RE = re.compile(
    r"^(?=.{1,253}$)([A-Za-z0-9_](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9_](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$"
)


class Table:
    """A TOML table being validated. ``path`` is e.g. ``hosts[2]`` or ``mysql``."""

    def __init__(self, file: str, path: str, data: object):
        self.file = file
        self.path = path
        if not isinstance(data, dict):
            raise InventoryError(file, path, "expected a table", _type(data))
        self.data: dict[str, Any] = data
        self._used: set[str] = set()

    # -- errors ------------------------------------------------------------
    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def error(self, name: str, expected: str, got: object = None) -> InventoryError:
        return InventoryError(self.file, self.key(name), expected, got)

    # -- access --------------------------------------------------------------
    def has(self, name: str) -> bool:
        return name in self.data

    def raw(self, name: str, default: object = _MISSING) -> Any:
        self._used.add(name)
        if name not in self.data:
            if default is _MISSING:
                raise self.error(name, "is required")
            return default
        return self.data[name]

    def text(self, name: str, default: Any = _MISSING, *, pattern: re.Pattern[str] | None = None,
            what: str = "a string", nonempty: bool = True) -> Any:
        value = self.raw(name, default)
        if value is default and default is not _MISSING:
            return value
        if not isinstance(value, str):
            raise self.error(name, f"expected {what}", value)
        if nonempty and not value.strip():
            raise self.error(name, f"expected {what}, not an empty string")
        if "\x00" in value or "\n" in value:
            raise self.error(name, f"expected {what} without NUL or newline characters", value)
        if pattern is not None and not pattern.match(value):
            raise self.error(name, f"expected {what}", value)
        return value

    def integer(self, name: str, default: Any = _MISSING, *, lo: int | None = None,
            hi: int | None = None) -> Any:
        value = self.raw(name, default)
        if value is default and default is not _MISSING:
            return value
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(name, f"expected an integer{_range(lo, hi)}", value)
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise self.error(name, f"expected an integer{_range(lo, hi)}", value)
        return value

    def number(self, name: str, default: Any = _MISSING, *, lo: float | None = None,
               hi: float | None = None, positive: bool = False) -> Any:
        value = self.raw(name, default)
        if value is default and default is not _MISSING:
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(name, f"expected a number{_range(lo, hi)}", value)
        if positive and value <= 0:
            raise self.error(name, "expected a number greater than 0", value)
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            raise self.error(name, f"expected a number{_range(lo, hi)}", value)
        return float(value)

    def flag(self, name: str, default: Any = _MISSING) -> Any:
        value = self.raw(name, default)
        if value is default and default is not _MISSING:
            return value
        if not isinstance(value, bool):
            raise self.error(name, "expected true or false", value)
        return value

    def choice(self, name: str, choices: tuple[str, ...], default: Any = _MISSING) -> Any:
        value = self.raw(name, default)
        if value is default and default is not _MISSING:
            return value
        if value not in choices:
            raise self.error(name, "expected one of " + ", ".join(repr(c) for c in choices), value)
        return value

    def str_list(self, name: str, default: Any = _MISSING, *, what: str = "a string",
                 check: Callable[[str], bool] | None = None) -> Any:
        value = self.raw(name, default)
        if value is default and default is not _MISSING:
            return value
        if not isinstance(value, list):
            raise self.error(name, f"expected a list of {what}s", value)
        for i, item in enumerate(value):
            if not isinstance(item, str) or not item or "\x00" in item or "\n" in item:
                raise InventoryError(self.file, f"{self.key(name)}[{i}]", f"expected {what}", item)
            if check is not None and not check(item):
                raise InventoryError(self.file, f"{self.key(name)}[{i}]", f"expected {what}", item)
        return list(value)

    def ip(self, name: str, default: Any = _MISSING, *, version: int | None = None) -> Any:
        value = self.raw(name, default)
        if value is default and default is not _MISSING:
            return value
        what = {4: "an IPv4 address", 6: "an IPv6 address"}.get(version or 0, "an IP address")
        if not isinstance(value, str):
            raise self.error(name, f"expected {what}", value)
        try:
            addr = ipaddress.ip_address(value)
        except ValueError:
            raise self.error(name, f"expected {what}", value) from None
        if version is not None and addr.version != version:
            raise self.error(name, f"expected {what}", value)
        return str(addr)

    def table(self, name: str, *, required: bool = False) -> Table | None:
        value = self.raw(name, _MISSING if required else None)
        if value is None:
            return None
        return Table(self.file, self.key(name), value)

    def tables(self, name: str) -> Iterator[Table]:
        """An array of tables (``[[name]]``), each with its index in the path."""
        value = self.raw(name, [])
        if not isinstance(value, list):
            raise self.error(name, "expected an array of tables ([[" + name + "]])", _type(value))
        for i, item in enumerate(value):
            yield Table(self.file, f"{self.key(name)}[{i}]", item)

    def finish(self) -> None:
        """Reject keys nobody read: strict validation catches typos."""
        unknown = sorted(set(self.data) - self._used)
        if unknown:
            raise self.error(unknown[0], "unknown key (check the spelling; see README 'Inventory')")


def _range(lo: float | None, hi: float | None) -> str:
    if lo is not None and hi is not None:
        return f" from {lo:g} to {hi:g}"
    if lo is not None:
        return f" of at least {lo:g}"
    if hi is not None:
        return f" of at most {hi:g}"
    return ""


def _type(value: object) -> str:
    return type(value).__name__


def is_hostname(value: str) -> bool:
    return bool(HOSTNAME_RE.match(value))


def is_absolute_path(value: str) -> bool:
    return value.startswith("/") and "\x00" not in value and "\n" not in value
