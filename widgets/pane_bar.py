"""The pane switcher shown when only one pane fits: ``1 Disks ✗ 2 │ 2 Tables – n/a …``.

Each pane's headline keeps problems in hidden panes visible.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import Static

from widgets import quiet_update
from widgets.pane import Pane


class PaneBar(Static):
    def show(self, panes: Sequence[Pane], active: str, keys: Sequence[str]) -> None:
        """``keys[i]`` is the key that shows ``panes[i]`` (after remapping)."""
        text = Text(end="", no_wrap=True, overflow="ellipsis")
        for i, (pane, key) in enumerate(zip(panes, keys, strict=True)):
            if i:
                text.append(" │ ", style="dim")
            is_active = pane.pane_id == active
            text.append(f" {key} {pane.title} ", style="bold reverse" if is_active else "")
            text.append_text(pane.headline())
        quiet_update.show(self, text)
