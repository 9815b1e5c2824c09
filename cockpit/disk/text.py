"""Small text helpers shared by the disk parsers (host output is untrusted)."""

from __future__ import annotations

import re

from cockpit.untrusted import decode, printable

# Paths keep their length up to PATH_MAX; anything longer is garbage, cut it.
PATH_LIMIT = 4096
# C0 controls (tab and newline included: they never belong in one field), DEL, C1.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def text_lines(data: bytes | str) -> list[str]:
    """Decode (never raising) and split on newlines only.

    ``str.splitlines`` would also split on form feeds, U+2028 and friends,
    which a hostile host could use to shift fields; a trailing ``\\r`` goes.
    """
    return [line.removesuffix("\r") for line in decode(data).split("\n")]


def faithful(value: str, limit: int = PATH_LIMIT) -> str:
    """A device or mount point kept as the host spells it, but safe to show.

    Control characters become ``?``, which is exactly what GNU df prints for
    them, so a mount point still matches between /proc/mounts, fstab and df.
    Without an ESC byte no ANSI sequence can survive.
    """
    value = _CONTROL.sub("?", value)
    if len(value) > limit:
        value = value[: limit - 1] + "\N{HORIZONTAL ELLIPSIS}"
    return value


def problem(what: str, line: str) -> str:
    """A short, printable complaint about one input line."""
    return f"{what}: {printable(line, 80)!r}" if line else what
