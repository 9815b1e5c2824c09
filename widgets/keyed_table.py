"""A DataTable kept in sync with a list of keyed rows, updated in place.

Each sweep gives the full list of rows a pane should show. :meth:`KeyedTable.sync`
turns that into the smallest change: rows that vanished are removed, new ones
added, changed cells updated, and the table re-sorted only when the order
changed. The cursor stays on the same row key across updates, even when rows
move. Every later pane (sites, transfers, DNS) uses this too.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual._two_way_dict import TwoWayDict
from textual._types import SegmentLines
from textual.binding import BindingType
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.message import Message
from textual.render import measure
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets._data_table import (
    CellDoesNotExist,
    CellKey,
    ColumnKey,
    DuplicateKey,
    Row,
    RowDoesNotExist,
    RowKey,
    default_cell_formatter,
)

from widgets.bindings import AppChecksActions, bind
from widgets.unlinking_lru import unlink_caches


@dataclass(frozen=True)
class TableRow:
    key: str  # unique per table
    group: str  # what the row belongs to (a host): the detail key and the cursor's fallback
    order: tuple[Any, ...]  # rows are shown smallest first; must be comparable across rows
    cells: tuple[Text, ...]


CELL_RENDERS_MIN = 256  # cell renders kept, at least (KeyedTable._renders_kept: two screenfuls)


class _OrderedText(Text):
    """The first cell of a row, carrying the row's order: DataTable.sort hands
    the key function cell values only, never row keys."""

    order: tuple[Any, ...]


def _ordered(cell: Text, order: tuple[Any, ...]) -> _OrderedText:
    out = _OrderedText(style=cell.style, no_wrap=cell.no_wrap, end="")
    out.append_text(cell)
    out.order = order
    return out


def _same(a: Text, b: Text) -> bool:
    return a is b or (a.plain == b.plain and a.style == b.style and a.spans == b.spans)


class KeyedTable(AppChecksActions, DataTable[Text]):
    """Rows keyed by :attr:`TableRow.key`; Enter (binding id ``detail``) asks for the row's details.

    The cursor stays on its row key across :meth:`sync`; if that row is gone it
    stays at the top (if it was there) or moves to a row of the same group."""

    BINDINGS: ClassVar[list[BindingType]] = [bind("detail", "request_detail", footer="Details")]

    class DetailRequested(Message):
        def __init__(self, table: KeyedTable, group: str) -> None:
            super().__init__()
            self.table = table
            self.group = group

    def __init__(self, columns: Sequence[tuple[str, str]], *, id: str | None = None) -> None:
        # before DataTable's __init__, which clears the caches (see _clear_caches)
        self._cell_renders: dict[tuple[RowKey, ColumnKey], tuple[object, tuple[Any, ...], SegmentLines]] = {}
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        unlink_caches(self)  # emptied after every change: what they held is freed then (widgets/unlinking_lru.py)
        self._column_keys = [key for key, _ in columns]
        for key, label in columns:
            self.add_column(label, key=key)
        self._rows: dict[str, TableRow] = {}
        self._rendered_update = -1  # DataTable's update count at the last render
        self._rendered_cursor: tuple[object, ...] = ()  # the cursor and hover the cached lines were drawn for
        self._widths: dict[ColumnKey, Counter[int]] = {}  # per column: how many cells have each width

    def sync(self, rows: Sequence[TableRow]) -> None:
        new = {r.key: r for r in rows}
        if len(new) != len(rows):
            raise ValueError("duplicate row keys")
        cursor = self.cursor_key()
        cursor_group = self._rows[cursor].group if cursor in self._rows else None
        cursor_index = self.cursor_row
        first = self._column_keys[0]
        with self.app.batch_update():
            gone = [k for k in self._rows if k not in new]
            if gone:
                self._remove_rows(gone)
                for key in gone:
                    del self._rows[key]
            added: list[tuple[str, tuple[Text, ...]]] = []
            changed: list[tuple[str, str, Text]] = []
            moved = False
            for row in rows:
                old = self._rows.get(row.key)
                if old is row:  # the caller's cached row: nothing to compare
                    continue
                order = (*row.order, row.key)
                if old is None:
                    added.append((row.key, (_ordered(row.cells[0], order), *row.cells[1:])))
                else:
                    moved = moved or old.order != row.order
                    self._changed_cells(old, row, order, first, changed)
                self._rows[row.key] = row
            if changed:
                self._update_cells(changed)
            if added:
                self._add_rows(added)
            # rows kept their order and none came: the table is in order still (no sort of 2,000 rows per update)
            if (added or moved) and [r.key.value for r in self.ordered_rows] != self._wanted_order():
                self.sort(first, key=lambda cell: cell.order)
            self._restore_cursor(cursor, cursor_group, cursor_index)

    def _remove_rows(self, keys: Sequence[str]) -> None:
        """DataTable.remove_row for many rows at once. remove_row renumbers every row and re-highlights
        the cursor and hover cells (which rebuilds the ordered row list) for each row removed: quadratic,
        so typing one character into the sites filter over 2,000 sites held the UI 2-8 s
        (bench/sites_ui_latency.py). Textual 8.2.8."""
        gone = {RowKey(k) for k in keys}
        if any(k not in self._row_locations for k in gone):
            raise RowDoesNotExist(f"Row keys {sorted(keys)!r} are not all valid.")
        kept = [r.key for r in self.ordered_rows if r.key not in gone]
        for row_key in gone:
            self._count_widths(row_key, -1)
            for column_key in self._data[row_key]:
                self._updated_cells.discard(CellKey(row_key, column_key))
                self._cell_renders.pop((row_key, column_key), None)  # a row that comes back is a new row
            del self.rows[row_key]
            del self._data[row_key]
            self._new_rows.discard(row_key)
        self._row_locations = TwoWayDict({k: i for i, k in enumerate(kept)})
        self._require_update_dimensions = True
        self._update_count += 1
        self.cursor_coordinate = self.cursor_coordinate
        self.hover_coordinate = self.hover_coordinate
        self.refresh(layout=True)
        self.check_idle()

    def _add_rows(self, rows: Sequence[tuple[str, tuple[Text, ...]]]) -> None:
        """DataTable.add_row (height 1, no label) for many rows at once. add_row re-highlights the cursor
        row after each row, which rebuilds the ordered row list (cached by the update count each add
        bumps): quadratic, so clearing the sites filter over 2,000 sites held the UI ~1 s. Textual 8.2.8."""
        columns = [c.key for c in self.ordered_columns]
        was_empty = self.row_count == 0
        for key, cells in rows:
            row_key = RowKey(key)
            if row_key in self._row_locations:
                raise DuplicateKey(f"The row key {row_key!r} already exists.")
            self._row_locations[row_key] = self.row_count
            self._data[row_key] = dict(zip(columns, cells, strict=True))
            self.rows[row_key] = Row(row_key, 1)
            self._count_widths(row_key, 1)
            self._new_rows.add(row_key)
        self._require_update_dimensions = True
        self._update_count += 1
        self.cursor_coordinate = self.cursor_coordinate
        if was_empty and self.row_count and self.columns and self.show_cursor and self.cursor_type != "none":
            self._highlight_cursor()  # a highlighted row exists now, as add_row says
        self.check_idle()

    def render_lines(self, crop: Region) -> list[Strip]:
        """DataTable's render caches (up to 10,000 cells, 1,000 rows and 1,000 lines) are keyed by its
        update count, which every change and every resize bumps, so after one every entry is stale,
        yet kept until the LRU is full: a wallboard's tables grew by tens of MiB over a soak
        (bench/soak.py), first with every sweep's changes, then with every resize (the problem list
        above them grows and shrinks with the faults). The first render after a bump drops them
        all, whatever bumped it. Lines and row renders are keyed by the cursor's and the hover's coordinates
        too, so a cursor move made each line it touched a new entry while the old ones stayed (an operator
        paging through the sites pane, whose data changes every 5 minutes): those two go when the cursor or
        the hover moves. Textual 8.2.8."""
        cursor = (self.cursor_coordinate, self.hover_coordinate, self._show_hover_cursor)
        if self._update_count != self._rendered_update:
            self._rendered_update = self._update_count
            for cache in (self._cell_render_cache, self._row_render_cache, self._row_renderable_cache,
                          self._line_cache):
                cache.clear()
        elif cursor != self._rendered_cursor:
            self._line_cache.clear()
            self._row_render_cache.clear()
        self._rendered_cursor = cursor
        return super().render_lines(crop)

    def _update_column_widths(self, updated_cells: set[CellKey]) -> None:
        """Each column measured once per sync, however many of its cells changed. DataTable (Textual
        8.2.8) re-measures the whole column for every updated cell that got narrower: quadratic, so a
        sweep that updated 1,000 rows held the UI for a minute (bench/scale_ui.py). A Text cell's width
        is taken from its words (what measure() returns for it, without building console options:
        2,000 cells per column in the sites pane)."""
        for column_key in {cell.column_key for cell in updated_cells}:
            column = self.columns.get(column_key)
            if column is None:
                continue
            label = measure(self.app.console, column.label, 1)
            column.content_width = max(label, max(self._counts(column_key), default=0))
        self._require_update_dimensions = True

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """New rows widen their columns by the counted widths: DataTable formats and measures every cell
        of every new row (14,000 cells when the sites filter is cleared). Rows here are one line high,
        without labels. Textual 8.2.8."""
        new_rows = list(new_rows)
        if any(self.rows[k].label is not None or self.rows[k].height != 1 for k in new_rows if k in self.rows):
            super()._update_dimensions(new_rows)  # not added by sync: as DataTable does
            return
        for column_key, column in self.columns.items():
            column.content_width = max(column.content_width, max(self._counts(column_key), default=0))
        super()._update_dimensions(())

    def _counts(self, column_key: ColumnKey) -> Counter[int]:
        counts = self._widths.get(column_key)
        if counts is None or counts.total() != self.row_count:  # rows came another way: count afresh
            counts = self._widths[column_key] = Counter(
                self._width(self._data[row_key].get(column_key)) for row_key in self.rows)
        return counts

    def _width(self, value: object) -> int:
        """What measure() gives for a cell of height 1 (for a Text: its widest line, without console options)."""
        if isinstance(value, Text):
            plain = value.plain
            if plain.isprintable():  # no line breaks of any kind: one line
                return cell_len(plain)
            return max((cell_len(line) for line in plain.splitlines()), default=0)
        return measure(self.app.console, default_cell_formatter(value, wrap=False, height=1), 1)

    def _count_width(self, column_key: ColumnKey, value: object, n: int) -> None:
        counts = self._widths.get(column_key)
        if counts is None:
            counts = self._widths[column_key] = Counter()
        width = self._width(value)
        counts[width] += n
        if counts[width] <= 0:
            del counts[width]

    def _count_widths(self, row_key: RowKey, n: int) -> None:
        for column_key, value in self._data[row_key].items():
            self._count_width(column_key, value, n)

    def _render_cell(self, row_index: int, column_index: int, base_style: Style, width: int,  # noqa: PLR0917 - as DataTable
                     cursor: bool = False, hover: bool = False) -> SegmentLines:
        """A cell whose value and place did not change is not rendered again. DataTable keys its cell
        renders by its update count, so after any change every cell on screen was rendered anew: with a
        sites pane update every 0.5 s that was most of the UI's time (bench/sites_ui_latency.py). Textual 8.2.8."""
        row_key = self._row_locations.get_key(row_index) if row_index >= 0 else None
        column_key = self._column_locations.get_key(column_index) if column_index >= 0 else None
        if row_key is None or column_key is None:  # the header and the row labels
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        value = self._data[row_key].get(column_key)
        look = (row_index, column_index, base_style, width, cursor, hover, self._show_hover_cursor,
                self._pseudo_class_state, self.rows[row_key].height)
        hit = self._cell_renders.get((row_key, column_key))
        if hit is not None and hit[0] is value and hit[1] == look:
            return hit[2]
        lines = super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        if len(self._cell_renders) >= self._renders_kept():
            self._cell_renders.clear()
        self._cell_renders[(row_key, column_key)] = (value, look, lines)
        return lines

    def _renders_kept(self) -> int:
        """Cell renders kept before they are all dropped: two screenfuls of this table's cells, at least
        :data:`CELL_RENDERS_MIN`. A render stays until then whether its row is on screen or not: with
        4,096 kept, a wallboard's disk table kept the renders of every row a fault had ever brought to the
        top (150 rows of 8 cells), so its memory rose with each new host a soak faulted (bench/soak.py).
        Dropping them all costs one screenful rendered again."""
        return max(CELL_RENDERS_MIN, 2 * self.size.height * max(1, len(self.columns)))

    def _clear_caches(self) -> None:
        super()._clear_caches()
        self._cell_renders.clear()

    def _changed_cells(self, old: TableRow, row: TableRow, order: tuple[Any, ...], first: str,
                       out: list[tuple[str, str, Text]]) -> None:
        for col, was, now in zip(self._column_keys, old.cells, row.cells, strict=True):
            if col == first:
                if not _same(was, now) or old.order != row.order:
                    out.append((row.key, col, _ordered(now, order)))
            elif not _same(was, now):
                out.append((row.key, col, now))

    def _update_cells(self, cells: Sequence[tuple[str, str, Text]]) -> None:
        """DataTable.update_cell(..., update_width=True) for many cells at once: it refreshes the
        widget per cell, a tenth of a sites pane update that changed 2,000 cells. Textual 8.2.8."""
        for row, column, value in cells:
            row_key, column_key = RowKey(row), ColumnKey(column)
            if row_key not in self._row_locations or column_key not in self._column_locations:
                raise CellDoesNotExist(f"No cell exists for row_key={row!r}, column_key={column!r}.")
            self._count_width(column_key, self._data[row_key][column_key], -1)
            self._data[row_key][column_key] = value
            self._count_width(column_key, value, 1)
            self._updated_cells.add(CellKey(row_key, column_key))
        self._update_count += 1
        self._require_update_dimensions = True
        self.refresh()

    def _wanted_order(self) -> list[str]:
        return [r.key for r in sorted(self._rows.values(), key=lambda r: (*r.order, r.key))]

    def _restore_cursor(self, key: str | None, group: str | None, index: int) -> None:
        if not self._rows:
            return
        target = key if key in self._rows else None
        # A vanished row: stay at the top if that is where the cursor was (watching the worst),
        # else go to another row of the same group (the host's other mounts, or its "down" row).
        if target is None and group is not None and index > 0:
            target = next((r.key.value for r in self.ordered_rows
                           if r.key.value is not None and self._rows[r.key.value].group == group), None)
        row = self.get_row_index(target) if target is not None else min(index, self.row_count - 1)
        if row != self.cursor_row:
            self.move_cursor(row=row, animate=False)

    def cursor_key(self) -> str | None:
        """Key of the row under the cursor (None when the table is empty)."""
        if self.row_count == 0:
            return None
        return self.coordinate_to_cell_key(Coordinate(self.cursor_row, 0)).row_key.value

    def cursor_group(self) -> str | None:
        key = self.cursor_key()
        return self._rows[key].group if key in self._rows else None

    def action_request_detail(self) -> None:
        group = self.cursor_group()
        if group is not None:
            self.post_message(self.DetailRequested(self, group))
