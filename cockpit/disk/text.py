"""Small text helpers shared by the disk parsers (host output is untrusted)."""

from __future__ import annotations

import re

from cockpit.untrusted import decode, printable

# Paths keep their length up to PATH_MAX; anything longer is garbage, cut it.
PATH_LIMIT = 4096
# No real line of /proc/mounts (overlay option lists included), df, mdstat or the
# kernel log comes near this; longer lines are dropped so that parsing cost stays linear
# and small whatever a host sends.
MAX_LINE = 65536
# C0 controls (tab and newline included: they never belong in one field), DEL, C1.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def text_lines(data: bytes | str, problems: list[str] | None = None) -> list[str]:
    """Decode (never raising) and split on newlines only.

    ``str.splitlines`` would also split on form feeds, U+2028 and friends,
    which a hostile host could use to shift fields; a trailing ``\\r`` goes.
    Lines longer than :data:`MAX_LINE` are dropped (and reported in ``problems``).
    """
    lines = []
    for line in decode(data).split("\n"):
        if len(line) > MAX_LINE:
            if problems is not None:
                problems.append(problem(f"line of {len(line):,} characters skipped", line))
            continue
        lines.append(line.removesuffix("\r"))
    return lines


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
