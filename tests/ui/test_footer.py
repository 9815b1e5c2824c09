"""The cockpit's Footer keeps no FooterKeys of earlier recomposes (Textual 8.2.8 kept every one)."""

from __future__ import annotations

import gc
import weakref
from typing import ClassVar

from textual._styles_cache import StylesCache
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.widgets import Button, Input
from textual.widgets._footer import FooterKey

from widgets.footer import Footer


class FooterApp(App[None]):
    BINDINGS: ClassVar[list[BindingType]] = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Button("a", id="a")
        yield Input(id="b")  # other bindings than the button: each focus change recomposes the footer
        yield Footer()


def footer_keys() -> list[FooterKey]:
    gc.collect()
    return [o for o in gc.get_objects() if isinstance(o, FooterKey)]


async def test_recomposing_the_footer_lets_the_old_keys_go() -> None:
    app = FooterApp()
    async with app.run_test(size=(100, 20)) as pilot:
        footer = app.query_one(Footer)
        for k in range(20):
            app.query_one("#a" if k % 2 else "#b").focus()
            await pilot.pause()
            await pilot.pause()
        shown = list(footer.query(FooterKey))
        assert shown  # the footer still shows its keys
        assert len(getattr(footer, "__watchers")["compact"]) <= len(shown)  # Textual kept 20 sets
        assert len(footer_keys()) == len(shown)


async def test_the_old_keys_last_lines_go_with_them() -> None:
    # Textual's StylesCache.get_inner_outer (an lru_cache keyed by each widget's StylesCache) kept every old key's
    # StylesCache, and the strips in it, until 1,024 newer entries pushed it out (widgets/render_cache.py).
    app = FooterApp()
    async with app.run_test(size=(100, 20)) as pilot:
        footer = app.query_one(Footer)
        drawn: list[weakref.ref[StylesCache]] = []
        for k in range(20):
            app.query_one("#a" if k % 2 else "#b").focus()
            await pilot.pause()
            await pilot.pause()
            for key in footer.query(FooterKey):
                assert key._styles_cache._cache  # it drew its line: the cache had something to keep
                drawn.append(weakref.ref(key._styles_cache))
        shown = {id(key._styles_cache) for key in footer.query(FooterKey)}
        gc.collect()
        kept = [ref() for ref in drawn if ref() is not None and id(ref()) not in shown]
        assert len(drawn) > 2 * len(shown) and kept == []


class SameKeysApp(App[None]):
    """Two buttons (the same shown keys), and a key enabled or not by check_action."""

    BINDINGS: ClassVar[list[BindingType]] = [("q", "quit", "Quit"), ("x", "act", "Act")]
    allowed = True

    def compose(self) -> ComposeResult:
        yield Button("a", id="a")
        yield Button("c", id="c")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "act" and not self.allowed else True

    def action_act(self) -> None:
        pass


def shown_keys(footer: Footer) -> list[tuple[str, bool]]:
    return [(key.key, key.has_class("-disabled")) for key in footer.query(FooterKey)]


async def test_the_footer_recomposes_only_when_the_keys_it_shows_change() -> None:
    app = SameKeysApp()
    async with app.run_test(size=(100, 20)) as pilot:
        footer = app.query_one(Footer)
        app.query_one("#a").focus()
        await pilot.pause()
        await pilot.pause()
        before = list(footer.query(FooterKey))
        assert [k for k, _ in shown_keys(footer)] == ["q", "x", "ctrl+p"]

        app.query_one("#c").focus()  # another widget with the same keys: the same FooterKeys stay
        await pilot.pause()
        await pilot.pause()
        assert list(footer.query(FooterKey)) == before

        app.allowed = False  # the same keys, one of them disabled now: shown anew
        app.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert ("x", True) in shown_keys(footer)
        assert list(footer.query(FooterKey)) != before

        app.allowed = True
        app.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert shown_keys(footer) == [("q", False), ("x", False), ("ctrl+p", False)]
