"""The table corruption pane and the site detail screen, fed with checker state."""

from __future__ import annotations

from pathlib import Path

import pytest
from sites_states import mixed_sites, site, sites_inventory
from textual.pilot import Pilot
from ui_helpers import visible_text

from cockpit import clock
from cockpit.engine.engine import Engine
from cockpit.inventory import load_inventory
from cockpit.tables.model import SiteState
from screens.app import CockpitApp
from screens.site_detail import SiteDetailScreen
from widgets import site_rows
from widgets.keyed_table import KeyedTable
from widgets.sites_pane import SitesPane

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((200, 60), id="200x60")]


def make_app(tmp_path: Path, port: int, sites: dict[str, SiteState] | None = None) -> CockpitApp:
    engine = Engine(load_inventory(sites_inventory(tmp_path, port, list(sites) if sites else None)))
    app = CockpitApp(engine, poll=False)
    engine.tables.sites.update(sites if sites is not None else mixed_sites())
    return app


async def show(pilot: Pilot[int]) -> None:
    assert isinstance(pilot.app, CockpitApp)
    await pilot.pause()
    pilot.app.sites_feed.deliver()
    await pilot.press("2")
    await pilot.pause()


def pane(app: CockpitApp) -> SitesPane:
    return app.dashboard.query_one(SitesPane)


def first_column(app: CockpitApp) -> list[str]:
    t = pane(app).table
    return [t.get_row_at(i)[0].plain for i in range(t.row_count)]


async def test_sites_worst_first_never_ok_when_unknown(tmp_path: Path, closed_port: int, frozen_clock: None) -> None:
    app = make_app(tmp_path, closed_port)
    async with app.run_test(size=(120, 30)) as pilot:
        await show(pilot)
        assert first_column(app) == ["acme", "globex", "umbrella", "hooli", "initech"]
        rows = {r[0].plain: [c.plain for c in r] for r in (pane(app).table.get_row_at(i) for i in range(5))}
        assert rows["acme"][1] == "✗ CORRUPT" and rows["acme"][4] == "2"
        assert rows["acme"][5] == "ticket_audit, worker"
        assert rows["globex"][1] == "✗ UNREACHABLE" and "(stale)" in rows["globex"][6]
        assert rows["umbrella"][1] == "… CHECKING" and rows["umbrella"][6] == "checking 3/12"
        assert rows["initech"][1] == "✓ OK"
        summary = visible_text(app.dashboard.query_one("#sites-summary"))
        assert "2 clean" in summary and "1 corrupt" in summary and "1 unknown" in summary
        assert "1 checking" in summary and "CHECK 3/12 tables" in summary


async def test_filter_narrows_by_site_host_or_table(tmp_path: Path, closed_port: int, frozen_clock: None) -> None:
    app = make_app(tmp_path, closed_port)
    async with app.run_test(size=(120, 30)) as pilot:
        await show(pilot)
        await pilot.press("slash", *"worker")
        await pilot.pause()
        assert first_column(app) == ["acme", "globex", "hooli", "initech"]  # umbrella has no tables yet
        await pilot.press("backspace", *"xx", "enter")
        await pilot.pause()
        assert first_column(app) == []
        await pilot.press("slash", "escape")
        await pilot.pause()
        assert len(first_column(app)) == 5 and pane(app).table.has_focus


async def test_enter_shows_every_table_with_its_messages_escaped(tmp_path: Path, closed_port: int,
                                                                 frozen_clock: None) -> None:
    app = make_app(tmp_path, closed_port)
    async with app.run_test(size=(120, 40)) as pilot:
        await show(pilot)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SiteDetailScreen) and screen.site == "acme"
        t = screen.query_one(KeyedTable)
        names = [t.get_row_at(i)[0].plain for i in range(t.row_count)]
        assert names[:2] == ["ticket_audit", "worker"]  # corrupt first
        assert any("[bold red]pwn[/]" in n for n in names)  # shown literally, not as markup
        messages = visible_text(screen.query_one("#site-messages"))
        assert "Index for table './acme/ticket_audit.MYI' is corrupt" in messages and "Corrupt" in messages
        assert screen.target_selection() == {"site": "acme", "host": "web1", "table": "acme.ticket_audit"}
        await pilot.press("down")
        await pilot.pause()
        assert "176 when reading datafile" in visible_text(screen.query_one("#site-messages"))


async def test_r_rechecks_the_site_under_the_cursor_for_real(tmp_path: Path, closed_port: int, frozen_clock: None,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COCKPIT_TEST_NO_SUCH_PW", "not-used-host-is-down")
    app = make_app(tmp_path, closed_port)
    async with app.run_test(size=(120, 30)) as pilot:
        await show(pilot)
        await pilot.press("r")  # acme's host refuses SSH: the re-check says so, keeping the old results
        await app.workers.wait_for_complete()
        await pilot.pause()
        acme = app.engine.tables.sites["acme"]
        assert acme.unreachable and "web1" in (acme.error or "")
        assert all(t.stale for t in acme.tables.values())
        assert acme.tables["worker"].status.bad  # the known corruption is not forgotten


async def test_a_missing_password_is_said_for_the_site(tmp_path: Path, closed_port: int, frozen_clock: None,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("COCKPIT_TEST_NO_SUCH_PW", raising=False)
    app = make_app(tmp_path, closed_port)
    async with app.run_test(size=(120, 30)) as pilot:
        await show(pilot)
        await pilot.press("r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "COCKPIT_TEST_NO_SUCH_PW" in (app.engine.tables.sites["acme"].error or "")


async def test_only_changed_sites_are_rebuilt(tmp_path: Path, closed_port: int, frozen_clock: None,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    sites = {f"s{i:04d}": site(f"s{i:04d}", "web1") for i in range(2000)}
    app = make_app(tmp_path, closed_port, sites)
    async with app.run_test(size=(120, 30)) as pilot:
        await show(pilot)
        assert pane(app).table.row_count == 2000
        built: list[str] = []
        real = site_rows.site_row
        monkeypatch.setattr("widgets.sites_pane.site_row", lambda s, *a: built.append(s.name) or real(s, *a))
        sites["s0042"].error, sites["s0042"].unreachable = "gone", True
        sites["s0042"].touch()
        app.sites_feed.deliver()
        await pilot.pause()
        assert built == ["s0042"]
        assert first_column(app)[0] == "s0042"  # moved to the top, in place
        assert pane(app).selected_site() == "s0042"  # a cursor left at the top keeps watching the worst


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_sites_pane(snap_compare, tmp_path: Path, closed_port: int, frozen_clock: None, size) -> None:
    assert snap_compare(make_app(tmp_path, closed_port), terminal_size=size, run_before=show)


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_site_detail(snap_compare, tmp_path: Path, closed_port: int, frozen_clock: None, size) -> None:
    async def detail(pilot: Pilot[int]) -> None:
        await show(pilot)
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(make_app(tmp_path, closed_port), terminal_size=size, run_before=detail)



async def test_unreachable_sites_are_retried_between_sweeps(tmp_path: Path, closed_port: int) -> None:
    """Sweeps come every 5 minutes by default: a second poll tries the unreachable sites again every 30 s."""
    engine = Engine(load_inventory(sites_inventory(tmp_path, closed_port)))
    tried: list[list[str]] = []
    retry_unreachable = engine.tables.retry_unreachable

    async def counted() -> list[str]:
        tried.append(await retry_unreachable())
        return tried[-1]

    engine.tables.retry_unreachable = counted  # type: ignore[method-assign]
    app = CockpitApp(engine, poll=True)
    async with app.run_test() as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        retry = app.sites_feed.retry
        assert retry is not None and retry.interval == 30 and retry.scheduled
        assert tried  # it ran at start, and is due again in 30 s
    assert retry.runs == len(tried)


async def test_a_ping_that_breaks_is_logged_and_only_that_servers_sites_are_checked(
        tmp_path: Path, closed_port: int, caplog: pytest.LogCaptureFixture) -> None:
    """The retry pings each server whose sites look sound: one that answers is left to the sweep; one whose
    ping breaks (a bug of ours; no server can make ping raise) is logged, and its sites are checked now."""
    engine = Engine(load_inventory(sites_inventory(tmp_path, closed_port)))
    checker = engine.tables
    for st in checker.sites.values():
        st.checked_at = clock.now()  # each checked once, and sound

    async def answers(host: str, m: object, *, kill: int | None = None) -> str | None:
        if host == "web2":
            raise RuntimeError("a bug in the ping")
        return None

    checker.servers.ping = answers  # type: ignore[assignment,method-assign]
    try:
        assert sorted(await checker.retry_unreachable()) == ["globex", "umbrella"]  # web2's sites only
    finally:
        await engine.close()
    assert "ping of web2's MySQL failed" in caplog.text and "a bug in the ping" in caplog.text
    assert checker.sites["globex"].error and checker.sites["acme"].error is None


def test_no_retry_poll_when_sweeps_come_as_often(tmp_path: Path, closed_port: int) -> None:
    path = sites_inventory(tmp_path, closed_port)
    path.write_text(path.read_text().replace("[mysql]\n", "[mysql]\nrecheck_interval = 20\n"))
    engine = Engine(load_inventory(path))
    assert engine.tables.retry_interval is None
    assert CockpitApp(engine, poll=True).sites_feed.retry is None


async def test_a_host_answering_ssh_again_gets_its_failed_sites_tried_at_once(tmp_path: Path,
                                                                             closed_port: int) -> None:
    """Not at the next retry, up to 30 s later: they said "host web1 is down" beside a host back up."""
    from ui_helpers import feed
    from ui_states import down, healthy

    from cockpit.engine.hoststate import Reach

    failed = clock.now()
    acme = site("acme", "web1", error="MySQL on web1: host web1 is down", unreachable=True, failed_at=failed)
    app = make_app(tmp_path, closed_port, {"acme": acme})
    async with app.run_test(size=(80, 24)) as pilot:
        feed(app, {"web1": down("web1", Reach.UNREACHABLE, "connect timed out")})
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert app.engine.tables.sites["acme"].failed_at == failed  # still down: left to the retry timer
        feed(app, {"web1": healthy("web1")})
        await pilot.pause()
        await app.workers.wait_for_complete()
        # tried again (the lab-less web1 refuses: a new failure, seen now)
        assert app.engine.tables.sites["acme"].failed_at not in (None, failed)
