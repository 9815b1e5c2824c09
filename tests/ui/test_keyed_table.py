"""KeyedTable.sync: in-place updates, stable order, cursor kept on its row."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets._data_table import ColumnKey

from widgets.keyed_table import CELL_RENDERS_MIN, KeyedTable, TableRow

COLUMNS = (("name", "Name"), ("value", "Value"))


def row(key: str, rank: int, value: str) -> TableRow:
    return TableRow(key, key, (rank, key), (Text(key), Text(value)))


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield KeyedTable(COLUMNS, id="t")


def keys(table: KeyedTable) -> list[str | None]:
    return [r.key.value for r in table.ordered_rows]


async def test_sync_adds_updates_removes_and_sorts_in_place() -> None:
    app = TableApp()
    async with app.run_test() as pilot:
        table = app.query_one(KeyedTable)
        table.sync([row("b", 1, "x"), row("a", 2, "y"), row("c", 0, "z")])
        await pilot.pause()
        assert keys(table) == ["c", "b", "a"]
        untouched = table.get_cell("a", "value")

        table.sync([row("b", 1, "x2"), row("a", 2, "y"), row("d", 3, "w")])
        await pilot.pause()
        assert keys(table) == ["b", "a", "d"]
        assert table.get_cell("b", "value").plain == "x2"
        assert table.get_cell("a", "value") is untouched  # unchanged cells are not rewritten


async def test_cursor_follows_its_row_when_rows_reorder() -> None:
    app = TableApp()
    async with app.run_test() as pilot:
        table = app.query_one(KeyedTable)
        table.sync([row("a", 0, ""), row("b", 1, ""), row("c", 2, "")])
        await pilot.pause()
        table.focus()
        await pilot.press("down")
        assert table.cursor_key() == "b"

        table.sync([row("a", 5, ""), row("b", 9, ""), row("c", 0, "")])  # b is now last
        await pilot.pause()
        assert keys(table) == ["c", "a", "b"]
        assert table.cursor_key() == "b"


async def test_cursor_falls_back_to_the_same_group_when_its_row_goes() -> None:
    app = TableApp()
    async with app.run_test() as pilot:
        table = app.query_one(KeyedTable)
        table.sync([TableRow("h1/a", "h1", (0,), (Text("a"), Text(""))),
                    TableRow("h2/a", "h2", (1,), (Text("a"), Text(""))),
                    TableRow("h2/b", "h2", (2,), (Text("b"), Text("")))])
        await pilot.pause()
        table.move_cursor(row=2)
        assert table.cursor_key() == "h2/b"
        # h2 goes down: its mount rows become one host row
        table.sync([TableRow("h2/", "h2", (0,), (Text("h2"), Text("down"))),
                    TableRow("h1/a", "h1", (1,), (Text("a"), Text("")))])
        await pilot.pause()
        assert table.cursor_group() == "h2"


async def test_enter_asks_for_the_detail_of_the_row_under_the_cursor() -> None:
    seen: list[str] = []

    class Watch(TableApp):
        def on_keyed_table_detail_requested(self, event: KeyedTable.DetailRequested) -> None:
            seen.append(event.group)

    app = Watch()
    async with app.run_test() as pilot:
        table = app.query_one(KeyedTable)
        table.sync([row("a", 0, ""), row("b", 1, "")])
        table.focus()
        await pilot.press("down", "enter")
        assert seen == ["b"]


async def test_the_detail_key_is_remappable_by_its_binding_id() -> None:
    seen: list[str] = []

    class Watch(TableApp):
        def on_mount(self) -> None:
            self.set_keymap({"detail": "d"})

        def on_keyed_table_detail_requested(self, event: KeyedTable.DetailRequested) -> None:
            seen.append(event.group)

    app = Watch()
    async with app.run_test() as pilot:
        table = app.query_one(KeyedTable)
        table.sync([row("a", 0, "")])
        table.focus()
        await pilot.press("enter")
        assert seen == []
        await pilot.press("d")
        assert seen == ["a"]


async def test_renders_of_replaced_cells_are_not_kept() -> None:
    """A wallboard syncs every few seconds for days: stale cell renders must not pile up."""
    app = TableApp()
    async with app.run_test(size=(60, 30)) as pilot:
        table = app.query_one(KeyedTable)
        for sweep in range(30):  # every sweep changes every value, as df's numbers do
            table.sync([row(f"h{i}", i, f"{sweep}.{i}%") for i in range(20)])
            await pilot.pause()  # painted: the cache holds this sweep's renders
        cells = (20 + 1) * len(COLUMNS)  # rows and the header
        assert len(table._cell_render_cache) <= 2 * cells  # DataTable alone kept every sweep's


async def test_renders_of_rows_that_went_are_not_kept() -> None:
    """A host going down replaces its mount rows with a 'down' row (other keys), and back: over a soak
    every host's rows came and went, and the renders of each key ever shown were kept (up to 4,096)."""
    app = TableApp()
    async with app.run_test(size=(60, 30)) as pilot:
        table = app.query_one(KeyedTable)
        for sweep in range(30):  # each sweep, another host is down: its rows have new keys
            table.sync([row(f"h{i}-down" if i == sweep % 20 else f"h{i}-mount", i, f"{i}%") for i in range(20)])
            await pilot.pause()
        live = {r.key for r in table.ordered_rows}
        assert len({row_key for row_key, _ in table._cell_renders}) > 20 - 2  # the rows on screen were rendered
        assert {row_key for row_key, _ in table._cell_renders} <= live


async def test_renders_of_rows_no_longer_on_screen_are_not_kept_for_long() -> None:
    """A fault brings a host's rows to the top, and healed they sink again. Over a soak every host came up
    once, and the renders of all 150 hosts' rows were kept (up to 4,096 cells): the cache grew with each new
    host faulted. Only about two screenfuls are kept."""
    app = TableApp()
    async with app.run_test(size=(60, 30)) as pilot:
        table = app.query_one(KeyedTable)
        n = 400
        for sweep in range(n // 20):  # each sweep, 20 other rows come to the top (on screen)
            top = range(sweep * 20, sweep * 20 + 20)
            table.sync([row(f"h{i:03}", 0 if i in top else 1, f"{i}%") for i in range(n)])
            await pilot.pause()
        shown = {r.key.value for r in table.ordered_rows[:20]}
        assert shown == {f"h{i:03}" for i in range(n - 20, n)}
        assert shown <= {row_key.value for row_key, _ in table._cell_renders}  # what is on screen is kept
        screenful = table.size.height * len(COLUMNS)
        assert len(table._cell_renders) <= max(CELL_RENDERS_MIN, 2 * screenful) < n * len(COLUMNS)


async def test_renders_from_before_a_resize_are_not_kept() -> None:
    """Every resize (the wallboard's problem list grows and shrinks above the tables) made DataTable
    keep a full set of stale renders until its LRUs filled (10,000 cells)."""
    app = TableApp()
    async with app.run_test(size=(60, 30)) as pilot:
        table = app.query_one(KeyedTable)
        table.sync([row(f"h{i}", i, f"{i}%") for i in range(20)])
        await pilot.pause()
        for k in range(20):
            await pilot.resize_terminal(60 + k % 2, 30 - k % 3)
            await pilot.pause()
        cells = (20 + 1) * len(COLUMNS)
        assert len(table._cell_render_cache) <= 2 * cells  # DataTable alone kept 20 sets
        assert len(table._line_cache) <= 2 * (20 + 1)


async def test_a_sync_measures_each_column_once_and_widths_follow_the_cells(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """DataTable re-measured a whole column per narrower cell: a sweep updating 1,000 rows held the UI
    for a minute. Counted, not timed: one sync of n narrower rows costs about n measurements, not n²."""
    import widgets.keyed_table as kt

    calls = 0
    real = kt.measure

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        return real(*args, **kwargs)

    app = TableApp()
    async with app.run_test() as pilot:
        table = app.query_one(KeyedTable)
        n = 200
        table.sync([row(f"h{i:03}", i, "a much longer value") for i in range(n)])
        await pilot.pause()
        assert table.columns[kt.ColumnKey("value")].content_width == len("a much longer value")
        monkeypatch.setattr(kt, "measure", counting)
        table.sync([row(f"h{i:03}", i, "short") for i in range(n)])  # every cell narrower
        await pilot.pause()
        assert table.columns[kt.ColumnKey("value")].content_width == len("Value")  # the label is wider now
        assert calls <= 2 * n
        table.sync([row(f"h{i:03}", i, "short" if i else "wider than before") for i in range(n)])
        await pilot.pause()
        assert table.columns[kt.ColumnKey("value")].content_width == len("wider than before")


async def test_many_rows_go_and_come_back_without_renumbering_per_row() -> None:
    """DataTable.remove_row renumbers every row and add_row rebuilds the ordered row list for the
    cursor, per row: a sites filter typed over 2,000 sites held the UI 2-8 s. Counted, not timed:
    rebuilds of the ordered row list per sync stay a handful, however many rows go or come."""
    from textual.cache import LRUCache

    rebuilds = 0

    class Counting(LRUCache[tuple[int, int], list[object]]):
        def set(self, key: tuple[int, int], value: list[object]) -> None:
            nonlocal rebuilds
            rebuilds += 1
            super().set(key, value)

        __setitem__ = set

    app = TableApp()
    async with app.run_test() as pilot:
        table = app.query_one(KeyedTable)
        table._ordered_row_cache = Counting(1)  # type: ignore[assignment]
        every = [row(f"r{i:04}", i % 7, f"v{i}") for i in range(1000)]
        table.sync(every)
        await pilot.pause()
        table.focus()
        await pilot.press("down", "down")
        assert table.cursor_key() == keys(table)[2]
        rebuilds = 0
        table.sync([r for r in every if r.key.endswith("7")])  # 900 rows go
        await pilot.pause()
        assert rebuilds <= 10
        assert keys(table) == [r.key for r in sorted(every, key=lambda r: r.order) if r.key.endswith("7")]
        rebuilds = 0
        table.sync(every)  # and come back
        await pilot.pause()
        assert rebuilds <= 10
        assert keys(table) == [r.key for r in sorted(every, key=lambda r: r.order)]
        assert table.get_cell("r0123", "value").plain == "v123" and table.row_count == 1000


async def test_after_a_change_only_changed_cells_are_rendered_again(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """DataTable keys its cell renders by its update count: after any change every cell on screen was
    rendered anew (most of the sites pane's time, an update every 0.5 s). Counted, not timed."""
    from textual.widgets import DataTable

    rendered: list[tuple[int, int]] = []
    real = DataTable._render_cell

    def counting(self, row_index, column_index, *args, **kwargs):  # type: ignore[no-untyped-def]
        rendered.append((row_index, column_index))
        return real(self, row_index, column_index, *args, **kwargs)

    app = TableApp()
    async with app.run_test(size=(60, 30)) as pilot:
        table = app.query_one(KeyedTable)
        rows = [row(f"h{i:02}", i, f"value {i}") for i in range(20)]
        table.sync(rows)
        await pilot.pause()
        monkeypatch.setattr(DataTable, "_render_cell", counting)
        table.sync([*rows[:5], row("h05", 5, "value 5!"), *rows[6:]])
        await pilot.pause()
        assert table.get_cell("h05", "value").plain == "value 5!"
        body = [(r, c) for r, c in rendered if r >= 0]
        assert body and set(body) <= {(5, 1)}  # not the 39 unchanged cells


async def test_new_rows_widen_their_columns() -> None:
    app = TableApp()
    async with app.run_test() as pilot:
        table = app.query_one(KeyedTable)
        table.sync([row("a", 0, "short")])
        await pilot.pause()
        value = table.columns[ColumnKey("value")]
        assert value.content_width == len("Value")
        table.sync([row("a", 0, "short"), row("b", 1, "a much wider value")])
        await pilot.pause()
        assert value.content_width == len("a much wider value")


async def test_lines_drawn_for_an_earlier_cursor_are_not_kept() -> None:
    """Each line DataTable caches is keyed by the cursor's and the hover's coordinates, so every cursor move
    drew and kept the lines it touched again (up to 1,000 per table, and as many row renders) until the data
    or the focus changed: an operator paging through a table that changes rarely (the sites pane: every
    5 minutes) grew it with every key. Only lines drawn for the cursor where it is now stay."""
    app = TableApp()
    async with app.run_test(size=(60, 30)) as pilot:
        table = app.query_one(KeyedTable)
        table.sync([row(f"h{i}", i, f"{i}%") for i in range(20)])
        table.focus()
        await pilot.pause()
        for _ in range(19):
            await pilot.press("down")
            await pilot.pause()
        lines = 20 + 1  # the rows and the header, all on screen
        assert len(table._line_cache) <= lines  # DataTable alone: 56, three more per key
        assert len(table._row_render_cache) <= lines
        assert table.cursor_row == 19
