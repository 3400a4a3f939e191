"""Refilling a record table without losing the user's place in it."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable


def fill_table(table: DataTable[object], rows: Sequence[tuple[int, tuple[Text, ...]]]) -> None:
    """Replace the rows (keyed by record id); the cursor stays on the same record if it remains.

    Every cell is a `Text` made by `dealboard.ui.text`, never a markup string.
    """
    current = highlighted_key(table)
    position = table.cursor_row
    table.clear()
    for key, cells in rows:
        table.add_row(*cells, key=str(key))
    if not rows:
        return
    ids = [key for key, _ in rows]
    row = ids.index(current) if current in ids else min(position, len(rows) - 1)
    table.move_cursor(row=max(row, 0), animate=False)


def highlighted_key(table: DataTable[object]) -> int | None:
    """The record id of the row under the cursor, or None for an empty table."""
    if not table.row_count:
        return None
    row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
    return int(row_key.value) if row_key.value is not None else None
