"""A dashboard pane: a titled box that knows whether it is on screen.

The engine's state reaches every pane after every sweep, but a hidden pane
(narrow terminal, another pane chosen) does no update work: it keeps the latest
state, marks itself dirty, and renders once when it is shown again.
"""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class Pane(Widget):
    """Subclasses store their state, call :meth:`state_changed` and implement :meth:`render_state`."""

    def __init__(self, pane_id: str, title: str, border_title: str) -> None:
        """``title`` is short (the pane bar); ``border_title`` says what the pane holds."""
        super().__init__(id=pane_id, classes="pane")
        self.pane_id, self.title = pane_id, title
        self.border_title = border_title
        self._dirty = False

    @property
    def shown(self) -> bool:
        return bool(self.display)

    def set_shown(self, shown: bool) -> None:
        self.display = shown
        if shown and self._dirty:
            self._dirty = False
            self.render_state()

    def state_changed(self) -> None:
        """Call after storing new state: renders now if shown, else later."""
        if self.shown and self.is_mounted:
            self._dirty = False
            self.render_state()
        else:
            self._dirty = True

    def render_state(self) -> None:
        """Bring the widgets up to date with the stored state."""

    def headline(self) -> Text:
        """A few characters for the pane bar (e.g. ``✗ 3``), computed from stored state."""
        return Text("")

    def focus_content(self) -> None:
        """Give keyboard focus to what the user works with in this pane."""
        self.focus()

    def selection(self) -> dict[str, str]:
        """What the cursor is on, by action target kind: ``host``, ``site``, ``table`` (``SITE.TABLE``).
        The recovery-action keys act on it (see screens/action_keys.py); empty: nothing selected."""
        return {}
