"""The deal's full history: every recorded change, who made it, when, and old → new.

This is the audit trail itself, newest first, so "who changed the value last
week?" is answered on the deal without leaving the board.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Label

from dealboard.domain.records import AuditRecord
from dealboard.domain.times import readable_value
from dealboard.ui.deal.common import when
from dealboard.ui.deal.tables import fill_table
from dealboard.ui.lists import RecordTable
from dealboard.ui.text import fitted, plain_line

#: Cells the fixed columns take (when, by, padding); what and change share the rest.
_FIXED_WIDTH = 36
#: How an action reads in the table, when it is not a plain edit.
_ACTION_WORDS = {"create": "added", "delete": "removed", "undo": "undo", "redo": "redo"}


class HistoryPanel(VerticalScroll):
    """One row per changed field."""

    def __init__(self) -> None:
        super().__init__(id="history-panel")

    def compose(self) -> ComposeResult:
        yield Label("History", id="history-count", classes="panel-heading")
        table: DataTable[object] = RecordTable(id="audit-table", cursor_type="row")
        table.add_columns("When", "By", "What", "Change")
        yield table

    def show(self, entries: tuple[AuditRecord, ...]) -> None:
        free = max((self.size.width or self.app.size.width) - _FIXED_WIDTH, 30)
        widths = (free * 2 // 5, free - free * 2 // 5)
        fill_table(
            self.query_one("#audit-table", DataTable),
            [(index, _cells(entry, widths)) for index, entry in enumerate(entries)],
        )
        label = f"History ({len(entries)} changes)" if entries else "History: nothing yet"
        self.query_one("#history-count", Label).update(Text(label))


def _cells(entry: AuditRecord, widths: tuple[int, int]) -> tuple[Text, ...]:
    what = entry.field.replace("_", " ")
    if entry.entity != "deal":
        what = f"{entry.entity}: {what}"
    marker = _ACTION_WORDS.get(entry.kind) or _ACTION_WORDS.get(entry.action)
    if marker:
        what = f"{what} ({marker})"
    old, new = readable_value(entry.old_value), readable_value(entry.new_value)
    change = new or "—" if old is None else f"{old or '—'} → {new or '—'}"
    return (
        Text(when(entry.at)),
        plain_line(entry.user),
        fitted(what, widths[0]),
        fitted(change, widths[1]),
    )
