"""Rich's and Textual's bounded function caches are emptied every minute (widgets/render_cache.py): they
fill with keys that never come back (each clock string measured, each render's filter), and what is still
on screen draws the same afterwards."""

from __future__ import annotations

import sys
import types

from rich.cells import cached_cell_len
from textual._styles_cache import StylesCache
from textual.filter import ANSIToTruecolor
from textual.geometry import Region
from ui_helpers import settle

from cockpit.engine.engine import Engine
from screens.app import GIVE_BACK_SECONDS, CockpitApp
from widgets.render_cache import bounded_function_caches, forget_render_caches


def test_the_caches_that_fill_with_one_off_keys_are_found() -> None:
    found = {c.__qualname__ for c in bounded_function_caches()}
    assert {"cached_cell_len", "ANSIToTruecolor.truecolor_style", "Region.overlaps", "Region.intersection",
            "StylesCache.get_inner_outer", "Strip.render_ansi"} <= found
    assert all(c.cache_info().maxsize is not None for c in bounded_function_caches())  # bounded ones only


def test_odd_module_entries_are_passed_over(monkeypatch) -> None:
    # Found every minute by the app's timer: an object whose lookups raise, or a None in sys.modules
    # (an import blocked on purpose), must not stop it.
    class Proxy:
        def __getattr__(self, name: str) -> object:
            raise RuntimeError("a lazy proxy that cannot load")

    odd = types.ModuleType("rich._cockpit_test_odd")
    odd.proxy = Proxy()  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, odd.__name__, odd)
    monkeypatch.setitem(sys.modules, "textual._cockpit_test_blocked", None)
    assert cached_cell_len in bounded_function_caches()


async def test_emptied_caches_leave_the_screen_as_it_was(make_inventory, closed_port, frozen_clock) -> None:
    app = CockpitApp(Engine(make_inventory({"web1": closed_port})))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        before = app.export_screenshot()
        cached_cell_len("swept 3 seconds ago ✓")  # one-off keys, as a clock leaves them
        Region(0, 0, 5, 5).overlaps(Region(3, 3, 5, 5))
        assert cached_cell_len.cache_info().currsize and StylesCache.get_inner_outer.cache_info().currsize

        assert forget_render_caches() > 0
        for cache in (cached_cell_len, ANSIToTruecolor.truecolor_style, Region.overlaps,
                      StylesCache.get_inner_outer):
            assert cache.cache_info().currsize == 0, cache

        app.refresh(repaint=True, layout=True)
        app.screen.refresh(repaint=True, layout=True)
        await settle(pilot)
        assert app.export_screenshot() == before


async def test_the_app_empties_them_every_minute(make_inventory, closed_port) -> None:
    app = CockpitApp(Engine(make_inventory({"web1": closed_port})))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        timers = {t.name: t for t in app._timers}
        assert timers["render caches"]._interval == GIVE_BACK_SECONDS
        assert timers["render caches"]._callback is forget_render_caches
