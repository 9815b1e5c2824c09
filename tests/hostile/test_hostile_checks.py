"""The "safe on screen" check the fuzz tests rely on catches what it must."""

from __future__ import annotations

import pytest
from hostile_fuzz import MARK, assert_safe_text
from rich.text import Text


@pytest.mark.parametrize("cell", [
    "plain str",  # a DataTable would parse it as markup
    Text("red \x1b[31m"), Text("nul \x00"), Text("csi \x9b2J"), Text("two\nlines"),
    Text.from_markup(MARK), Text.from_markup("[link=http://x]x[/link]"), Text.from_markup("[@click=app.quit]q[/]"),
])
def test_unsafe_cells_are_caught(cell: object) -> None:
    with pytest.raises(AssertionError):
        assert_safe_text(cell)


def test_escaped_host_text_passes() -> None:
    assert_safe_text(Text(MARK + " \u2028 é", style="bold"))
