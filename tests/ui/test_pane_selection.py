"""Site actions start from a row of the DNS pane and of the transfers pane, as
from the sites pane: the pane's ``selection()`` names the site under the
cursor, the action key opens the confirm screen for exactly that site."""

from __future__ import annotations

import textwrap
from pathlib import Path

from dns_states import failover_report
from textual.pilot import Pilot
from textual.widgets import Button
from transfer_states import POLLED, mixed_imports
from ui_helpers import visible_text

from cockpit.engine.engine import Engine
from cockpit.inventory import load_inventory
from screens.app import CockpitApp
from screens.confirm_action import ConfirmActionScreen
from screens.dns_view import DnsSwept
from screens.transfers_feed import TransfersPolled
from widgets.dns_pane import DnsPane
from widgets.transfers_pane import TransfersPane


def make_app(tmp_path: Path, port: int) -> CockpitApp:
    (tmp_path / "known_hosts").touch()
    text = f'[defaults]\nconnect_timeout = 2\ncommand_timeout = 5\nknown_hosts = "{tmp_path / "known_hosts"}"\n'
    for h in ("web1", "web2", "web3", "standby1"):
        text += f'\n[[hosts]]\nname = "{h}"\naddress = "127.0.0.1"\nssh_port = {port}\n'
    for site, host, standby in (("acme", "web1", "web2"), ("globex", "web1", "standby1"),
                                ("initech", "web3", "standby1"), ("idle", "web1", "standby1")):
        text += (f'\n[[sites]]\nname = "{site}"\nhost = "{host}"\nstandby = "{standby}"\n'
                 f'storage = "/storage/{site}"\n')
    path = tmp_path / "inventory.toml"
    path.write_text(textwrap.dedent(text))
    return CockpitApp(Engine(load_inventory(path)), poll=False)


async def _confirm(pilot: Pilot[int]) -> ConfirmActionScreen:
    for _ in range(400):
        screen = pilot.app.screen
        if isinstance(screen, ConfirmActionScreen) and screen.is_mounted and screen.focused:
            await pilot.pause()
            return screen
        await pilot.pause(0.05)
    raise AssertionError(f"no confirm screen (on {type(pilot.app.screen).__name__})")


async def _cursor_to(pilot: Pilot[int], table, key: str) -> None:  # type: ignore[no-untyped-def]
    table.focus()
    table.move_cursor(row=table.get_row_index(key))
    await pilot.pause()


async def test_failover_site_from_a_dns_row(tmp_path: Path, closed_port: int, frozen_clock: None) -> None:
    app = make_app(tmp_path, closed_port)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.post_message(DnsSwept(failover_report()))
        await pilot.press("4")
        await pilot.pause()
        pane = app.dashboard.query_one(DnsPane)
        await _cursor_to(pilot, pane.table, "acme")
        # the host is where the DNS sweep has the site now (acme was failed over to web2)
        assert app.selection() == {"site": "acme", "host": "web2"}
        await pilot.press("f")  # failover-site
        confirm = await _confirm(pilot)
        assert "site acme" in visible_text(confirm.query_one("#confirm-identity"))
        assert confirm.focused is not None and confirm.focused.id == "confirm-cancel"
        await pilot.press("escape")
        await pilot.pause()
        await _cursor_to(pilot, pane.table, "[bold]evil[/]")  # a name the inventory does not have
        assert app.selection() == {"site": "[bold]evil[/]", "host": "web1"}
        assert app.actions.runs == []


async def test_import_start_from_a_transfers_row(tmp_path: Path, closed_port: int, frozen_clock: None) -> None:
    app = make_app(tmp_path, closed_port)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.post_message(TransfersPolled(mixed_imports(), POLLED))
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        pane = app.dashboard.query_one(TransfersPane)
        key = next(s.key for s in pane.statuses if s.site == "idle")  # an import not started yet
        await _cursor_to(pilot, pane.table, key)
        assert app.selection() == {"site": "idle"}
        await pilot.press("i")  # import-start
        confirm = await _confirm(pilot)
        assert "site idle" in visible_text(confirm.query_one("#confirm-identity"))
        confirm.query_one("#confirm-cancel", Button).press()
        await pilot.pause()
        assert app.actions.runs == []
