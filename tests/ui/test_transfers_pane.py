"""The transfers pane: rows, order, summary, details, coalesced progress, snapshots."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from textual.pilot import Pilot
from transfer_states import POLLED, imp, mixed_imports
from ui_helpers import visible_text
from ui_states import NOW

from cockpit.engine.engine import Engine
from cockpit.transfers.model import TransferState
from screens.app import CockpitApp
from screens.transfers_feed import TransfersPolled
from widgets.keyed_table import KeyedTable
from widgets.transfer_rows import bar, summary_text, transfer_rows
from widgets.transfers_pane import TransfersPane

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((200, 60), id="200x60")]


def test_failed_and_stalled_first_then_moving_then_verified_then_not_started() -> None:
    rows = transfer_rows(mixed_imports())
    order = [r.key.split("@")[0] for r in sorted(rows, key=lambda r: (*r.order, r.key))]
    assert set(order[:3]) == {"diskfull", "[bold red]evil[/]", "stalled1"}
    assert set(order[3:5]) == {"running1", "scanning1"}
    assert order[5:] == ["verified1", "idle"]


def test_cells_say_progress_size_files_rate_and_eta() -> None:
    running = next(r for r in transfer_rows(mixed_imports()) if r.key.startswith("running1"))
    cells = [c.plain for c in running.cells]
    assert cells[1] == "▶ running"
    assert cells[2] == "████░░░░░░  48%"
    assert cells[3] == "3 s" and cells[4] == "4.0 MiB/s"  # when and how fast, visible at 80 columns
    assert cells[5] == "12.0 / 25.0 MiB"
    assert cells[6] == "700 / 1,519"
    assert cells[7] == "backup1 → standby1"
    assert bar(imp("s", TransferState.SCANNING)).plain.endswith("scan")


def test_a_total_without_a_count_done_shows_a_question_mark() -> None:
    # A verification that counted the source (total known) before any transfer line said how many are done.
    row = next(iter(transfer_rows([imp("v", TransferState.VERIFYING, files=(None, 1519))])))
    assert row.cells[6].plain == "? / 1,519"
    from widgets.transfer_detail import import_detail_text  # the detail screen formatted it as '?':, and raised

    detail = import_detail_text(imp("v", TransferState.VERIFYING, files=(None, 1519)), NOW).plain
    assert "? / 1,519 entries" in detail


def test_summary_totals_and_overall_eta() -> None:
    text = summary_text(mixed_imports(), POLLED, NOW).plain
    assert text.startswith("6 imports: ")
    assert "1 failed" in text and "1 unverified" in text and "1 stalled" in text and "1 verified" in text
    assert "2 running" in text and "1 not started" in text
    assert "│ 76.0 / 125.0 MiB at 4.0 MiB/s, ETA 3 s" in text
    assert "read" not in text  # fresh
    stale = summary_text(mixed_imports(), POLLED, NOW + timedelta(minutes=2)).plain
    assert "read 2 minutes ago" in stale


@pytest.fixture
def app(make_inventory, closed_port, frozen_clock) -> CockpitApp:  # type: ignore[no-untyped-def]
    return CockpitApp(Engine(make_inventory({"web1": closed_port})), poll=False)


async def _show(pilot: Pilot[int], statuses: list) -> TransfersPane:  # type: ignore[type-arg]
    app = pilot.app
    assert isinstance(app, CockpitApp)
    app.post_message(TransfersPolled(statuses, POLLED))
    await pilot.pause()
    await pilot.press("3")
    await pilot.pause()
    return app.dashboard.query_one(TransfersPane)


async def test_the_pane_shows_every_import_with_escaped_names_and_details(app: CockpitApp) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await _show(pilot, mixed_imports())
        table = pane.query_one("#transfers-table", KeyedTable)
        assert table.row_count == 7
        top = table.get_row_at(0)[0].plain
        assert top in {"diskfull", "[bold red]evil[/]", "stalled1"}
        # the hostile site name is shown literally, never parsed as markup
        evil = table.get_cell("[bold red]evil[/]@standby1", "site")
        assert evil.plain == "[bold red]evil[/]"
        # the cursor's import explains itself: reason, rsync's last message or the differences
        for _ in range(3):
            if pane.selected_site() == "diskfull":
                break
            await pilot.press("down")
        assert pane.selected_site() == "diskfull"
        detail = visible_text(pane.query_one("#transfers-detail"))
        assert "11: error in file I/O" in detail and "No space left on device" in detail
        assert "rsync said: [receiver] write failed" in detail
        assert "oncall@laptop" in detail


async def test_a_hundred_progress_updates_coalesce(app: CockpitApp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[int] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        deliver = app.transfers_feed.deliver

        def counting(message: TransfersPolled) -> None:
            shown.append(message.statuses[0].bytes_done)
            deliver(message)

        monkeypatch.setattr(app.transfers_feed, "deliver", counting)
        for i in range(100):
            app.post_message(TransfersPolled([imp("acme", TransferState.RUNNING, done=i, total=100)], POLLED))
        await pilot.pause()
        await pilot.pause()
        assert shown[-1] == 99  # the newest state is what is shown
        assert len(shown) < 100  # queued ones were replaced, not rendered one by one
        pane = app.dashboard.query_one(TransfersPane)
        assert pane.statuses[0].bytes_done == 99


Before = Callable[[Pilot[int]], object]


def _before(statuses: list) -> Callable:  # type: ignore[type-arg]
    async def run_before(pilot: Pilot[int]) -> None:
        await pilot.pause()
        await _show(pilot, statuses)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_snapshot_of_the_transfers_pane(snap_compare, make_inventory, closed_port, frozen_clock, size) -> None:  # type: ignore[no-untyped-def]
    app = CockpitApp(Engine(make_inventory({"web1": closed_port})), poll=False)
    assert snap_compare(app, terminal_size=size, run_before=_before(mixed_imports()))


async def test_v_asks_to_verify_the_selected_import_and_read_only_hides_it(make_inventory, closed_port,  # type: ignore[no-untyped-def]
                                                                           frozen_clock, monkeypatch) -> None:
    for read_only, expected in ((False, 1), (True, 0)):
        app = CockpitApp(Engine(make_inventory({"web1": closed_port}), read_only=read_only), poll=False)
        asked: list[tuple[str, str]] = []
        async with app.run_test(size=(120, 40)) as pilot:
            monkeypatch.setattr(app.transfers_feed, "verify", lambda site, dest, a=asked: a.append((site, dest)))
            pane = await _show(pilot, mixed_imports())
            pane.table.focus()
            await pilot.press("v")
            await pilot.pause()
            assert len(asked) == expected
            if expected:
                assert asked[0] == (pane.selected_site(), "standby1")


def test_the_bar_says_100_only_when_everything_is_there() -> None:
    short = imp("u", TransferState.UNVERIFIED, done=28_826_000, total=28_826_082, files=(2036, 2037))
    assert bar(short).plain.endswith(" 99%")  # one small file missing is not rounded up to a full bar
    full = imp("v", TransferState.RUNNING, done=28_826_082, total=28_826_082)
    assert bar(full).plain == "██████████ 100%"


async def test_enter_opens_the_import_in_full_with_every_difference(app: CockpitApp) -> None:
    from cockpit.transfers.verify import CHANGE_LIMIT, judge
    from screens.import_detail import ImportDetailScreen

    changes = b"\n".join(b">f+++++++++ mail/\x1b[31mmissing %d.eml" % i for i in range(60))
    stats = b"Number of files: 2,037 (reg: 2,020, dir: 16, link: 1)\nTotal file size: 28,826,082 bytes\n"
    v = judge(0, changes, 60, stats=stats, local=b"f 1960 28000000\nd 16 65536\nl 1 12\n")
    many = imp("many", TransferState.UNVERIFIED, done=28_000_012, total=28_826_082, files=(1977, 2037),
               verification=v, reason=v.summary)
    async with app.run_test(size=(100, 40)) as pilot:
        pane = await _show(pilot, [many, *mixed_imports()])
        pane.table.focus()
        pane.table.move_cursor(row=pane.table.get_row_index("many@standby1"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ImportDetailScreen) and app.screen.key == "many@standby1"
        text = visible_text(app.screen.query_one("#import-detail-text"))
        # every difference up to the verification's limit (the pane's detail line has room for 8), escaped
        listed = text.partition("Differences (60 listed by rsync):")[2]
        assert listed.count("missing on the destination: file mail/") == CHANGE_LIMIT
        assert "… and 10 more differences" in text and "\x1b" not in text
        assert "2,020 files, 16 directories, 1 symlinks (2,037 entries)" in text  # the source's counts
        assert "1,960 files" in text and "files: source 2,020, destination 1,960 (-60)" in text
        assert app.screen.target_selection() == {"site": "many"}  # import keys act on this import's site
        app.post_message(TransfersPolled([imp("many", TransferState.RUNNING, done=1, total=2)], POLLED))
        await pilot.pause()
        assert "▶ running" in visible_text(app.screen.query_one("#import-detail-text"))  # kept fresh
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.dashboard


async def test_before_the_first_read_the_pane_says_so_instead_of_not_started(make_inventory, closed_port,  # type: ignore[no-untyped-def]
                                                                             frozen_clock) -> None:
    import dataclasses

    from cockpit.inventory.model import Site, Storage

    inv = make_inventory({"web1": closed_port, "backup1": closed_port})
    inv = dataclasses.replace(inv, sites=(Site("acme", host="web1", storage="/storage/acme"),),
                              storage=Storage(source="backup1"))
    app = CockpitApp(Engine(inv), poll=False)  # no poll: the destinations are never read
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("3")
        await pilot.pause()
        pane = app.dashboard.query_one(TransfersPane)
        assert visible_text(pane.query_one("#transfers-summary")).strip() == "reading imports…"
        assert pane.table.row_count == 0 and pane.headline().plain.startswith("?")
        app.post_message(TransfersPolled(app.engine.transfers.rows(), POLLED))  # what the first poll brings
        await pilot.pause()
        assert pane.table.get_cell("acme@web1", "state").plain == "· not started"
