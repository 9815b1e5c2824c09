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

    def set_active(self, active: bool) -> None:
        """Stand out as the pane the keys act on, or not. Only the pane is restyled: ``set_class`` restyles its
        tables too, and Textual builds a styling node per component class of each (a DataTable has 11), a
        ~250 KiB burst at every move of the wallboard's focus (widgets/footer.py says why bursts matter).
        No rule below a pane depends on ``-active`` (pane.tcss); tests/ui/test_focus_move.py checks the
        border changes."""
        if self.has_class("-active") == active:
            return
        self.set_class(active, "-active", update=False)
        if self.is_attached:
            self.app.stylesheet.apply(self)
            self.refresh()

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
