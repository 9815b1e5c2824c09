"""Shared pieces of the hostile-input fuzzing: the settings profile (example
counts live here), a counter of examples run (reported at the end of the
session by conftest.py), hostile host output, and the "safe on screen" check
for the UI's rendering helpers."""

from __future__ import annotations

import os
import re
from collections import Counter
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rich.style import Style
from rich.text import Text

# COCKPIT_FUZZ_EXAMPLES=5000 for a deep run; the default keeps the suite fast.
EXAMPLES = int(os.environ.get("COCKPIT_FUZZ_EXAMPLES", "300"))
# The suite (and CI) replays the same examples every run, so its verdict is about the change, not the dice:
# twice a random run found a new parser bug on a commit that did not touch the parser. COCKPIT_FUZZ_RANDOM=1
# (with a big COCKPIT_FUZZ_EXAMPLES) hunts for new ones; each one found becomes a plain regression test.
RANDOM = os.environ.get("COCKPIT_FUZZ_RANDOM") == "1"
settings.register_profile("cockpit-fuzz", max_examples=EXAMPLES, deadline=None, derandomize=not RANDOM,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                 HealthCheck.filter_too_much])
# Per-example cost is a real network round trip (DNS) or a whole UI render: fewer.
settings.register_profile("cockpit-fuzz-slow", settings.get_profile("cockpit-fuzz"),
                          max_examples=max(1, EXAMPLES // 3))
FUZZ = settings.get_profile("cockpit-fuzz")
FUZZ_SLOW = settings.get_profile("cockpit-fuzz-slow")

RUN: Counter[str] = Counter()  # parser -> examples run this session


def ran(parser: str) -> None:
    RUN[parser] += 1


MARK = "[b]MK[/b]"  # markup: if "MK" shows without its brackets, a host string was parsed as markup
HOSTILE = [
    "\x1b[31m", "\x1b[2J", "\x1b]0;pwned\x07", "\x1b]8;;http://x\x1b\\", "\x9b2J", "\x07", "\x00", "\x08",
    "\r", "\n", "\t", "\x7f", "\x85", "\u2028", "\u202e", "\ufffd", "\U0001f4a5", MARK, "[bold red]",
    "[/]", "[link=http://x]x[/link]", "[@click=app.quit]q[/]", "[on red]", "\\[", "%", "'", '"', "`",
    "$(touch /tmp/x)", ";", "|", " ", "  ", "/", ",", ".", ":", "=", "(", ")", "0", "9", "1,234", "100%",
]
_INVALID_UTF8 = [b"\xff", b"\xfe", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x80"]
hostile_text = st.lists(st.sampled_from(HOSTILE), max_size=12).map("".join)


def _bytes_of(parts: list[str | bytes]) -> bytes:
    return b"".join(p if isinstance(p, bytes) else p.encode("utf-8", "surrogatepass") for p in parts)


def hostile_bytes(real: list[bytes] | None = None, max_size: int = 600) -> st.SearchStrategy[bytes]:
    """Arbitrary bytes, hostile fragments, invalid UTF-8, NULs, a huge line, and (when given)
    real captures cut off at a random place or with hostile text spliced in."""
    pieces = st.lists(st.one_of(st.sampled_from(HOSTILE), st.sampled_from(_INVALID_UTF8)), max_size=20)
    options: list[st.SearchStrategy[bytes]] = [
        st.binary(max_size=max_size),
        pieces.map(_bytes_of),
        st.tuples(st.sampled_from(HOSTILE), st.integers(10_000, 200_000)).map(
            lambda p: p[0].encode("utf-8", "surrogatepass") * (p[1] // max(1, len(p[0])))),  # one huge line
    ]
    if real:
        options.append(st.tuples(st.sampled_from(real), st.integers(0, 10**6)).map(
            lambda r: r[0][: r[1] % (len(r[0]) + 1)]))  # cut off anywhere
        options.append(st.tuples(st.sampled_from(real), st.integers(0, 10**6), pieces).map(
            lambda r: r[0][: r[1] % (len(r[0]) + 1)] + _bytes_of(r[2]) + r[0][r[1] % (len(r[0]) + 1):]))
    return st.one_of(*options)


# Everything a host may not put on a screen: C0 controls but newline, DEL, C1 controls (ESC, CSI).
UNSAFE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")


def assert_safe_text(cell: Any, *, multiline: bool = False) -> None:
    """``cell`` is rich Text (a DataTable parses a str as markup), has no control character or
    escape in it, and no markup from a host was interpreted (no link/click styles, MARK kept whole)."""
    assert isinstance(cell, Text), f"a {type(cell).__name__} cell: a str would be parsed as markup"
    plain = cell.plain
    bad = UNSAFE.search(plain)
    assert bad is None, f"control character {bad.group()!r} on screen in {plain[:200]!r}"
    assert multiline or "\n" not in plain.rstrip("\n"), f"a line break from a host in a one-line cell: {plain[:200]!r}"
    assert plain.count("MK") == plain.count("[b]MK"), f"host markup was rendered: {plain[:200]!r}"
    for span in cell.spans:
        style = span.style if isinstance(span.style, Style) else Style.parse(str(span.style))
        assert style.link is None and not style.meta, f"a link or action from a host: {span}"


def assert_safe_strings(values: Any) -> None:
    """Every string inside a (nested) dataclass/tuple/dict has no control character."""
    import dataclasses
    import enum

    def walk(obj: Any) -> list[str]:
        if isinstance(obj, enum.Enum):
            return []
        if isinstance(obj, str):
            return [obj]
        if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
            return [s for f in dataclasses.fields(obj) for s in walk(getattr(obj, f.name))]
        if isinstance(obj, dict):
            return [s for k, v in obj.items() for s in walk(k) + walk(v)]
        if isinstance(obj, list | tuple | set | frozenset):
            return [s for item in obj for s in walk(item)]
        return []

    for s in walk(values):
        assert not re.search(r"[\x00-\x1f\x7f-\x9f]", s), f"control character in {s[:200]!r}"
