"""Strips build their seven caches when first used, not when made (widgets/strip_caches.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rich.segment import Segment
from rich.style import Style
from textual.cache import FIFOCache
from textual.strip import Strip

from cockpit.engine.engine import Engine
from screens.app import CockpitApp
from widgets import strip_caches


@pytest.fixture
def stock_strip() -> Iterator[None]:
    """Textual's own Strip for this test (an earlier test may have installed the lazy caches); after it,
    Strip as it was."""
    was = {name: vars(Strip).get(name) for name in ("__init__", "__getattr__")}
    Strip.__init__ = strip_caches.TEXTUALS_INIT  # type: ignore[method-assign]
    if "__getattr__" in vars(Strip):
        del Strip.__getattr__  # type: ignore[attr-defined]
    yield
    for name, value in was.items():
        if value is None:
            if name in vars(Strip):
                delattr(Strip, name)
        else:
            setattr(Strip, name, value)


def built(strip: Strip) -> set[str]:
    """The caches this strip has (read through the slots, which does not build one)."""
    have = set()
    for name in strip_caches.CACHE_SIZES:
        try:
            vars(Strip)[name].__get__(strip, Strip)
        except AttributeError:
            continue
        have.add(name)
    return have


@pytest.mark.usefixtures("stock_strip")
def test_the_app_installs_it(make_inventory, closed_port) -> None:
    assert built(Strip([Segment("stock")])) == set(strip_caches.CACHE_SIZES)
    CockpitApp(Engine(make_inventory({"web1": closed_port})), poll=False)
    assert vars(Strip)["__init__"] is strip_caches._init
    assert built(Strip([Segment("new")])) == set()


def test_a_cache_is_built_by_its_first_use_and_then_kept() -> None:
    assert strip_caches.install()
    strip = Strip([Segment("hello ", Style(bold=True)), Segment("world")])
    assert built(strip) == set()
    cropped = strip.crop(2, 8)
    assert cropped.text == "llo wo"
    assert strip.crop(2, 8) is cropped  # the second crop came from the cache
    assert built(strip) == {"_crop_cache"}
    assert isinstance(strip._crop_cache, FIFOCache)
    styled = cropped.apply_style(Style(italic=True))
    assert styled.text == "llo wo" and all(seg.style is not None and seg.style.italic for seg in styled)
    assert built(cropped) == {"_style_cache"}


def test_other_missing_attributes_still_raise() -> None:
    assert strip_caches.install()
    with pytest.raises(AttributeError, match="no_such"):
        Strip([]).no_such  # noqa: B018


@pytest.mark.usefixtures("stock_strip")
def test_only_for_the_textual_it_was_written_against() -> None:
    assert strip_caches.applies(strip_caches.TEXTUAL)
    assert not strip_caches.applies("8.3.0")
    assert not strip_caches.applies("8.2.7")
