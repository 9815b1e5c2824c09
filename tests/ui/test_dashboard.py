"""The dashboard fed with engine states: layout, hidden panes, escaping, cursor."""

from __future__ import annotations

from dataclasses import replace

import pytest
from ui_helpers import disk_table, feed, visible_text
from ui_states import HOSTILE, hostile, mixed_fleet, mount, ro_root, up

from cockpit.engine.engine import Engine
from cockpit.severity import Severity
from screens.app import CockpitApp
from screens.host_detail import HostDetailScreen
from widgets.pane import Pane


@pytest.fixture
def app(make_inventory, closed_port) -> CockpitApp:
    return CockpitApp(Engine(make_inventory({"web1": closed_port})), poll=False)


def shown_panes(app: CockpitApp) -> list[str]:
    return [p.pane_id for p in app.dashboard.query(Pane) if p.display]


async def test_narrow_terminal_shows_one_pane_and_keys_switch_panes(app: CockpitApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert shown_panes(app) == ["disks"]
        assert app.dashboard.query_one("#pane-bar").display
        await pilot.press("2")
        assert shown_panes(app) == ["sites"]
        assert app.dashboard.query_one("#sites #sites-table").display
        await pilot.press("tab")
        assert shown_panes(app) == ["transfers"]
        await pilot.press("tab", "tab")
        assert shown_panes(app) == ["disks"]


async def test_large_terminal_shows_all_four_panes_in_a_grid(app: CockpitApp) -> None:
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        assert shown_panes(app) == ["disks", "sites", "transfers", "dns"]
        assert app.dashboard.query_one("#panes").has_class("-grid")
        assert not app.dashboard.query_one("#pane-bar").display
        regions = [p.region for p in app.dashboard.query(Pane)]
        assert regions[0].y == regions[1].y and regions[0].x < regions[1].x  # side by side
        assert regions[2].y > regions[0].y


async def test_a_hidden_pane_does_no_work_and_catches_up_when_shown(app: CockpitApp) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("2")  # disks hidden
        feed(app, mixed_fleet())
        await pilot.pause()
        assert disk_table(app).row_count == 1  # still the initial pending row: no update work
        await pilot.press("1")
        await pilot.pause()
        assert disk_table(app).row_count == 10
        table = disk_table(app)
        assert table.get_row_at(0)[0].plain == "db1"  # worst first: a host cockpit cannot use
        assert table.cursor_group() == "db1"  # the cursor was at the top: it stays there


async def test_host_strings_render_literally(app: CockpitApp) -> None:
    async with app.run_test(size=(200, 60)) as pilot:
        feed(app, {"evil": hostile("evil")})
        await pilot.pause()
        table_text = visible_text(disk_table(app))
        assert "/srv/[bold red]x[/] red [link=http://evil]y[/link]" in table_text
        assert "\x1b" not in table_text
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HostDetailScreen)
        detail = visible_text(app.screen.query_one("#host-report"))
        for literal in ("/dev/[bold red]x[/]", "kernel [bold red]x[/]", "df: [bold red]x[/]"):
            assert literal in detail
        assert HOSTILE not in detail  # escape bytes removed


async def test_cursor_stays_on_its_row_when_an_update_reorders_rows(app: CockpitApp) -> None:
    fleet = mixed_fleet()
    async with app.run_test(size=(200, 60)) as pilot:
        feed(app, fleet)
        await pilot.pause()
        table = disk_table(app)
        target = "web2\0/storage"
        table.move_cursor(row=table.get_row_index(target))
        before = table.cursor_row
        # web2's /storage goes read-only: web2 jumps above the healthy hosts
        fleet["web2"] = up("web2", mount("/"), mount("/storage", sev=Severity.CRITICAL, ro=True, device="/dev/md1",
                                                   reasons=("mounted read-only",)))
        feed(app, fleet)
        await pilot.pause()
        assert table.cursor_key() == target
        assert table.cursor_row < before
        assert table.get_cell(target, "state").plain == "✗ CRIT"


async def test_host_detail_follows_new_sweeps(app: CockpitApp) -> None:
    async with app.run_test(size=(100, 40)) as pilot:
        feed(app, {"web1": ro_root("web1")})
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HostDetailScreen)
        assert "3 I/O error lines" in visible_text(app.screen.query_one("#host-report"))
        healed = ro_root("web1")
        assert healed.disk is not None
        quiet = replace(healed.disk.kernel, count=0, severity=Severity.OK)
        feed(app, {"web1": replace(healed, disk=replace(healed.disk, kernel=quiet))})
        await pilot.pause()
        assert "no I/O error lines" in visible_text(app.screen.query_one("#host-report"))
