"""A DataTable kept in sync with a list of keyed rows, updated in place.

Each sweep gives the full list of rows a pane should show. :meth:`KeyedTable.sync`
turns that into the smallest change: rows that vanished are removed, new ones
added, changed cells updated, and the table re-sorted only when the order
changed. The cursor stays on the same row key across updates, even when rows
move. Every later pane (sites, transfers, DNS) uses this too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.coordinate import Coordinate
from textual.geometry import Region
from textual.message import Message
from textual.render import measure
from textual.strip import Strip
from textual.widgets import DataTable
from textual.widgets._data_table import CellKey, ColumnKey, default_cell_formatter

from widgets.bindings import AppChecksActions, bind


@dataclass(frozen=True)
class TableRow:
    key: str  # unique per table
    group: str  # what the row belongs to (a host): the detail key and the cursor's fallback
    order: tuple[Any, ...]  # rows are shown smallest first; must be comparable across rows
    cells: tuple[Text, ...]


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
    return a.plain == b.plain and a.style == b.style and a.spans == b.spans


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
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._column_keys = [key for key, _ in columns]
        for key, label in columns:
            self.add_column(label, key=key)
        self._rows: dict[str, TableRow] = {}
        self._rendered_update = -1  # DataTable's update count at the last render

    def sync(self, rows: Sequence[TableRow]) -> None:
        new = {r.key: r for r in rows}
        if len(new) != len(rows):
            raise ValueError("duplicate row keys")
        cursor = self.cursor_key()
        cursor_group = self._rows[cursor].group if cursor in self._rows else None
        cursor_index = self.cursor_row
        first = self._column_keys[0]
        with self.app.batch_update():
            for key in [k for k in self._rows if k not in new]:
                self.remove_row(key)
                del self._rows[key]
            for row in rows:
                old = self._rows.get(row.key)
                order = (*row.order, row.key)
                if old is None:
                    self.add_row(_ordered(row.cells[0], order), *row.cells[1:], key=row.key)
                else:
                    self._update_row(old, row, order, first)
                self._rows[row.key] = row
            if [r.key.value for r in self.ordered_rows] != self._wanted_order():
                self.sort(first, key=lambda cell: cell.order)
            self._restore_cursor(cursor, cursor_group, cursor_index)

    def render_lines(self, crop: Region) -> list[Strip]:
        """DataTable's render caches (up to 10,000 cells, 1,000 rows and 1,000 lines) are keyed by its
        update count, which every change and every resize bumps, so after one every entry is stale,
        yet kept until the LRU is full: a wallboard's tables grew by tens of MiB over a soak
        (bench/soak.py), first with every sweep's changes, then with every resize (the problem list
        above them grows and shrinks with the faults). The first render after a bump drops them
        all, whatever bumped it. Textual 8.2.8."""
        if self._update_count != self._rendered_update:
            self._rendered_update = self._update_count
            for cache in (self._cell_render_cache, self._row_render_cache, self._row_renderable_cache,
                          self._line_cache):
                cache.clear()
        return super().render_lines(crop)

    def _update_column_widths(self, updated_cells: set[CellKey]) -> None:
        """Each column measured once per sync, however many of its cells changed. DataTable (Textual
        8.2.8) re-measures the whole column for every updated cell that got narrower: quadratic, so a
        sweep that updated 1,000 rows held the UI for a minute (bench/scale_ui.py)."""
        by_column: dict[ColumnKey, list[CellKey]] = {}
        for cell in updated_cells:
            by_column.setdefault(cell.column_key, []).append(cell)
        for column_key, cells in by_column.items():
            column = self.columns.get(column_key)
            if column is None:
                continue
            if len(cells) == 1:
                super()._update_column_widths(set(cells))
                continue
            console = self.app.console
            widths = [measure(console, column.label, 1)]
            for row_key, row in self.rows.items():
                value = self._data[row_key].get(column_key)
                widths.append(measure(console, default_cell_formatter(value, wrap=row.height != 1,
                                                                      height=row.height), 1))
            column.content_width = max(widths)

    def _update_row(self, old: TableRow, row: TableRow, order: tuple[Any, ...], first: str) -> None:
        for col, was, now in zip(self._column_keys, old.cells, row.cells, strict=True):
            if col == first:
                if not _same(was, now) or old.order != row.order:
                    self.update_cell(row.key, col, _ordered(now, order), update_width=True)
            elif not _same(was, now):
                self.update_cell(row.key, col, now, update_width=True)

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
