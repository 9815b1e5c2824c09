"""Markers with a fresh nonce (cockpit.markers), as the disk probe and the import poll frame their output."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cockpit.disk import sections
from cockpit.markers import find_markers
from cockpit.transfers import dump

N = b"0123456789abcdef"
# (tag, the tail compiled once, marker-like pieces to build output from)
GRAMMARS = {
    "import poll": (b"@@" + N + b"@@", dump._MARKER_TAIL,
                    [b"end", b"file log", b"site acme", b"", b"Site", b"@@ffff@@end"]),
    "disk probe": (b"@@cockpit:" + N + b":", sections._TAIL,
                   [b"begin:df@@", b"end:df:0@@", b"stderr:df@@", b"end:df:x@@", b"absent:mdstat@@", b"begin:@@",
                    b"@@cockpit:ffff:begin:df@@"]),
}
SEPARATORS = [b"\n", b"\n\n", b"X", b" ", b"\r", b"@@", b"@", b"done"]


@pytest.mark.parametrize("grammar", GRAMMARS)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_markers_are_found_as_a_pattern_compiled_with_the_nonce_finds_them(grammar: str, data: st.DataObject) -> None:
    """Equal, on marker-like output, to what ``\\n?`` + the escaped tag + the tail finds: where each marker
    starts (with or without the newline before it, which a previous marker may have taken) and ends."""
    tag, tail, pieces = GRAMMARS[grammar]
    choices = [tag + p for p in pieces] + pieces + SEPARATORS
    output = b"".join(data.draw(st.lists(st.sampled_from(choices), max_size=40)))
    per_nonce = re.compile(rb"\n?" + re.escape(tag) + tail.pattern)
    want = [(m.start(), m.end(), m.groups()) for m in per_nonce.finditer(output)]
    assert [(start, m.end(), m.groups()) for start, m in find_markers(output, tag, tail)] == want


def test_a_marker_takes_the_newline_before_it_once() -> None:
    tail = re.compile(rb"([a-z]+)\n")
    out = b"x\n@@N@@a\n@@N@@b\n\n@@N@@c\n"
    assert [(s, m.group(1)) for s, m in find_markers(out, b"@@N@@", tail)] == [(1, b"a"), (9, b"b"), (16, b"c")]


def test_an_empty_tag_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        list(find_markers(b"x", b"", re.compile(rb"x")))
