"""The App's minute trim (screens/app.py ``trim_memory``) empties Rich's width cache of strings drawn
once (a sweep's times), and what is on screen is measured again when it is next drawn."""

from __future__ import annotations

from rich.cells import cached_cell_len
from textual.app import App, ComposeResult
from textual.widgets import Static

from screens.app import trim_memory


class SweptLabel(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("", id="swept")


async def test_strings_drawn_once_leave_the_width_cache_and_the_screen_still_draws() -> None:
    app = SweptLabel()
    async with app.run_test(size=(60, 5)) as pilot:
        label = app.query_one("#swept", Static)
        for k in range(40):  # forty sweeps' headers, each drawn once
            label.update(f"swept {k} seconds ago (02:59:{k:02d} UTC)")
            await pilot.pause()
        assert cached_cell_len.cache_info().currsize >= 40  # Rich kept every one of them
        trim_memory()
        assert cached_cell_len.cache_info().currsize == 0
        label.update("swept just now (03:00:00 UTC)")
        await pilot.pause()
        assert "03:00:00" in app.export_screenshot()
        assert cached_cell_len.cache_info().currsize > 0  # measured again as it was drawn
