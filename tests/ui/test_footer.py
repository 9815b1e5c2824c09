"""The cockpit's Footer keeps no FooterKeys of earlier recomposes (Textual 8.2.8 kept every one)."""

from __future__ import annotations

import gc
import weakref
from typing import ClassVar

from textual._styles_cache import StylesCache
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, Input
from textual.widgets._footer import FooterKey, FooterLabel, KeyGroup

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

        app.allowed = False  # the same keys, one of them disabled now: the same FooterKeys show it
        app.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert ("x", True) in shown_keys(footer)
        assert list(footer.query(FooterKey)) == before

        app.allowed = True
        app.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert shown_keys(footer) == [("q", False), ("x", False), ("ctrl+p", False)]


PANES = Binding.Group("Panes", compact=True)


class Box(Widget, can_focus=True):
    DEFAULT_CSS = "Box { height: 3; }"


class OneKey(Box):
    BINDINGS: ClassVar[list[BindingType]] = [("a", "app.say('alpha')", "Alpha")]


class ThreeKeys(Box):
    BINDINGS: ClassVar[list[BindingType]] = [("b", "app.say('beta')", "Beta"), ("c", "app.say('gamma')", "Gamma"),
                                             ("r", "app.say('recheck')", "Re-check")]


class GroupedKeys(Box):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("3", "app.say('three')", "three", group=PANES)]


class PanesApp(App[None]):
    """The cockpit's footer in little: each pane's own keys, then a group of keys, then the app's."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "say('one')", "one", group=PANES), Binding("2", "say('two')", "two", group=PANES),
        ("q", "quit", "Quit"), ("r", "say('refresh')", "Refresh")]

    def __init__(self) -> None:
        super().__init__()
        self.said: list[str] = []

    def compose(self) -> ComposeResult:
        yield OneKey(id="one")
        yield ThreeKeys(id="three")
        yield GroupedKeys(id="grouped")
        yield Footer()

    def action_say(self, what: str) -> None:
        self.said.append(what)


def layout(footer: Footer) -> list[tuple[str, ...]]:
    """The footer's widgets in order, with what each shows."""
    shown: list[tuple[str, ...]] = []
    for child in footer.children:
        if isinstance(child, KeyGroup):
            shown.append(("group", *(f"{k.key}:{k.render().plain}" for k in child.query_children(FooterKey))))
        elif isinstance(child, FooterLabel):
            shown.append(("label", str(child.render())))
        elif isinstance(child, FooterKey):
            shown.append((child.key, child.render().plain, str(child.has_class("-disabled"))))
    return shown


async def focus(pilot: Pilot[None], widget_id: str) -> None:
    pilot.app.query_one(f"#{widget_id}").focus()
    await pilot.pause()
    await pilot.pause()


async def composed_afresh(pilot: Pilot[None], footer: Footer) -> list[tuple[str, ...]]:
    old = list(footer.query(FooterKey))  # held: ids of freed keys could be reused by new ones
    footer._composed_for = None  # as if never composed: Textual's compose
    footer.call_later(footer.recompose)  # from the footer's own queue, as bindings_changed does
    await pilot.pause()
    await pilot.pause()
    assert not {id(key) for key in old} & {id(key) for key in footer.query(FooterKey)}  # all built anew
    return layout(footer)


async def test_other_keys_in_the_same_groups_are_shown_by_the_same_widgets_as_textual_would() -> None:
    app = PanesApp()
    async with app.run_test(size=(120, 20)) as pilot:
        footer = app.query_one(Footer)
        await focus(pilot, "one")
        keys, box = list(footer.query(FooterKey)), footer.query_one(KeyGroup)  # held, so ids stay theirs
        assert [k.key for k in keys] == ["a", "1", "2", "q", "r", "ctrl+p"]

        await focus(pilot, "three")  # two more keys of its own, and its r hides the app's
        moved = layout(footer)
        assert [row[0] for row in moved] == ["b", "c", "r", "group", "label", "q", "ctrl+p"]
        assert footer.query_one(KeyGroup) is box  # the group was kept, not built again
        assert {id(k) for k in keys} - {id(k) for k in footer.query(FooterKey)} == set()  # no key dropped
        assert moved == await composed_afresh(pilot, footer)  # what Textual's own compose shows

        await focus(pilot, "one")  # back: the extra keys go
        back = layout(footer)
        assert [row[0] for row in back] == ["a", "group", "label", "q", "r", "ctrl+p"]
        assert back == await composed_afresh(pilot, footer)


async def test_a_rewritten_key_runs_its_new_action_when_clicked() -> None:
    app = PanesApp()
    async with app.run_test(size=(120, 20)) as pilot:
        footer = app.query_one(Footer)
        await focus(pilot, "three")
        await focus(pilot, "one")
        await focus(pilot, "three")
        first = footer.query(FooterKey).first()
        assert first.key == "b"
        await pilot.click(first)
        await pilot.pause()
        assert app.said == ["beta"]


async def test_other_groups_are_composed_afresh() -> None:
    app = PanesApp()
    async with app.run_test(size=(120, 20)) as pilot:
        footer = app.query_one(Footer)
        await focus(pilot, "one")
        box = footer.query_one(KeyGroup)
        await focus(pilot, "grouped")  # a third key in the group: Textual's compose builds it
        assert footer.query_one(KeyGroup) is not box
        assert [row[0] for row in layout(footer)] == ["group", "label", "q", "r", "ctrl+p"]
        assert len(footer.query_one(KeyGroup).children) == 3
