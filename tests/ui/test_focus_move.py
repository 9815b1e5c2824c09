"""A move of the wallboard's focus to another pane restyles that pane and the two tables, and keeps the footer's
widgets: each move used to restyle both panes' tables a second time and build the footer anew (~117 styling nodes,
a ~900 KiB burst; widgets/footer.py, widgets/pane.py)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from test_wallboard import wallboard
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.widgets._footer import FooterKey
from ui_helpers import feed

from screens.app import CockpitApp
from widgets.footer import Footer


@contextmanager
def restyles() -> Iterator[list[DOMNode]]:
    """The widgets Textual styles meanwhile that have component classes (one styling node per class)."""
    seen: list[DOMNode] = []
    original = Stylesheet._process_component_classes

    def counting(self: Stylesheet, node: DOMNode) -> None:
        if node._get_component_classes():
            seen.append(node)
        original(self, node)

    Stylesheet._process_component_classes = counting  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        Stylesheet._process_component_classes = original  # type: ignore[method-assign]


def border(app: CockpitApp, pane_id: str) -> str:
    return app.dashboard.query_one(f"#{pane_id}").styles.border.top[0]


async def test_a_focus_move_restyles_the_tables_for_focus_only_and_keeps_the_footer(make_inventory,
                                                                                   closed_port) -> None:
    app = wallboard(make_inventory, closed_port)
    async with app.run_test(size=(200, 60)) as pilot:
        feed(app, app.engine.hosts)
        screen = app.dashboard
        screen.focus_pane("disks")
        await pilot.pause()
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        before = list(footer.query(FooterKey))
        assert (border(app, "disks"), border(app, "sites")) == ("heavy", "round")

        with restyles() as seen:
            screen.focus_pane("sites")
            await pilot.pause()
            await pilot.pause()
        assert (border(app, "disks"), border(app, "sites")) == ("round", "heavy")
        tables = Counter(type(node).__name__ for node in seen)["KeyedTable"]
        assert tables == 2  # the table losing focus and the one gaining it; not again for -active
        after = list(footer.query(FooterKey))
        assert [k.key for k in after][:4] == ["enter", "r", "x", "slash"]  # the sites pane's keys
        assert all(any(k is a for a in after) for k in before)  # the footer kept its keys and added two
        assert not [k for k in before if any(k is node for node in seen)]  # rewritten, not restyled


def test_no_style_rule_below_a_pane_depends_on_it_being_active() -> None:
    # Pane.set_active restyles the pane alone: a rule such as ".pane.-active DataTable" would not follow it
    root = Path(__file__).resolve().parents[2]
    selectors = [sel.strip() for path in [*root.glob("screens/*.tcss"), *root.glob("widgets/*.tcss"),
                                          *root.glob("screens/*.py"), *root.glob("widgets/*.py")]
                 for sel in re.findall(r"([^{};\n]*-active[^{};\n]*)\{", path.read_text())]
    assert selectors == [".pane.-active"]
