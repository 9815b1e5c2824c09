"""Accepting a changed host key in the UI: offered only on an untrusted host's
detail and never in read-only; the confirm screen shows both fingerprints with
Cancel focused (snapshots at 80x24 and 200x60). The accept itself against a
real sshd with a new key is a fault drill (tests/drills)."""

from __future__ import annotations

from collections.abc import Callable

import asyncssh
import pytest
from textual.pilot import Pilot
from ui_helpers import feed
from ui_states import mixed_fleet

from cockpit.engine import hostkey
from cockpit.engine.engine import Engine
from cockpit.engine.gate import ReadOnlyRefused
from cockpit.engine.hostkey import KeyOffer
from screens.app import CockpitApp
from screens.host_detail import HostDetailScreen
from screens.host_key_confirm import HostKeyConfirmScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((200, 60), id="200x60")]
OFFER = KeyOffer(host="db1", address="192.0.2.10", fingerprint="SHA256:TtWdka9B/trcXetCmiUyoreDVuwL8TSOjmOLHGvqhvY",
                 trusted=("SHA256:Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXU",),
                 known_hosts="/home/oncall/.ssh/known_hosts", key=asyncssh.generate_private_key("ssh-ed25519"))


@pytest.fixture
def make_app(make_inventory, closed_port, frozen_clock) -> Callable[..., CockpitApp]:
    def make(*, read_only: bool = False) -> CockpitApp:
        return CockpitApp(Engine(make_inventory({"web1": closed_port}), read_only=read_only), poll=False)

    return make


def offered(app: CockpitApp) -> set[str]:
    return {a.binding.id for a in app.screen.active_bindings.values() if a.binding.id and a.enabled}


async def open_detail(pilot: Pilot[int], *keys: str) -> HostDetailScreen:
    app = pilot.app
    assert isinstance(app, CockpitApp)
    await pilot.pause()
    feed(app, mixed_fleet())
    await pilot.pause()
    await pilot.press(*keys, "enter")  # db1 (untrusted) sorts first
    await pilot.pause()
    assert isinstance(app.screen, HostDetailScreen)
    return app.screen


async def test_offered_on_an_untrusted_host_only(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        detail = await open_detail(pilot)
        assert detail.host == "db1" and "accept_host_key" in offered(app)
        await pilot.press("escape", "down", "down", "enter")  # web1: up, its key trusted
        await pilot.pause()
        assert isinstance(app.screen, HostDetailScreen) and app.screen.host == "web1"
        assert "accept_host_key" not in offered(app)


async def test_read_only_neither_offers_nor_accepts(make_app) -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=(120, 40)) as pilot:
        detail = await open_detail(pilot)
        assert "accept_host_key" not in offered(app)
        await pilot.press(app.keys["accept_host_key"])
        await detail.run_action("accept_host_key")  # even run by name (a palette, a script)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is detail
        with pytest.raises(ReadOnlyRefused, match="refused accept-host-key on db1"):  # the engine's gate
            await hostkey.offer(app.engine, "db1")


@pytest.mark.parametrize("size", SIZES)
def test_confirm_shows_both_fingerprints_with_cancel_focused(snap_compare, make_app, size) -> None:
    async def before(pilot: Pilot[int]) -> None:
        await pilot.pause()
        pilot.app.push_screen(HostKeyConfirmScreen(OFFER))
        await pilot.pause()
        assert pilot.app.focused is not None and pilot.app.focused.id == "hostkey-cancel"

    assert snap_compare(make_app(), terminal_size=size, run_before=before)
