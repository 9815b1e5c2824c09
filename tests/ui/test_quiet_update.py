"""Statics refreshed by timers are updated only when what they show changes."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Static

from widgets import quiet_update


class One(App[None]):
    def compose(self) -> ComposeResult:
        yield Static(id="s")


async def test_same_text_is_not_redrawn_and_any_change_is() -> None:
    app = One()
    async with app.run_test() as pilot:
        s = app.query_one("#s", Static)
        assert quiet_update.show(s, Text("swept 3 seconds ago", end=""))
        assert not quiet_update.show(s, Text("swept 3 seconds ago", end=""))  # a timer tick, nothing new
        assert quiet_update.show(s, Text("swept 4 seconds ago", end=""))
        assert quiet_update.show(s, Text("swept 4 seconds ago", style="bold", end=""))  # Text == ignores style
        assert quiet_update.show(s, Text("swept 4 seconds ago", style="bold", end="", spans=[]).append("!"))
        assert not quiet_update.show(s, Text("swept 4 seconds ago", style="bold", end="").append("!"))
        await pilot.pause()
        assert str(s.render()).endswith("ago!")
        assert quiet_update.show(s, "two\nlines")  # a str after a Text: updated
        assert not quiet_update.show(s, "two\nlines")
