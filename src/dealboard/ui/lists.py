"""Lists the way the board walks: `j`/`k` a row, `g`/`G` the ends, and a cursor seen without colour.

Every record table and option list in the app is one of these, so a rep who
learned the board's keys can walk an agenda, an SLA table or a template list
the same way, and a projector or a NO_COLOR terminal still shows which row
is chosen: the cursor row is bold and underlined, not only tinted.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, OptionList


class RecordTable(DataTable[object]):
    """A `DataTable` of records, walked with the board's keys."""

    DEFAULT_CSS = """
    RecordTable, RecordTable:focus {
        & > .datatable--cursor {
            text-style: bold underline;
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Next row", show=False, id="list.table-next"),
        Binding("k", "cursor_up", "Previous row", show=False, id="list.table-previous"),
        Binding("g", "scroll_top", "First row", show=False, id="list.table-first"),
        Binding("G", "scroll_bottom", "Last row", show=False, id="list.table-last"),
    ]

    async def _on_idle(self, event: events.Idle) -> None:
        """Measure new rows as `DataTable` does, then draw every line again if widths changed.

        Textual re-measures columns when idle but keeps the lines it drew before,
        so a header drawn between `clear()` and the refill keeps the old, narrow
        widths above rows drawn at the new ones (seen when a live read refills a
        table that is on screen).
        """
        before = [column.content_width for column in self.columns.values()]
        await super()._on_idle(event)
        if [column.content_width for column in self.columns.values()] != before:
            self._clear_caches()
            self.refresh()


class RecordOptions(OptionList):
    """An `OptionList`, walked with the board's keys."""

    DEFAULT_CSS = """
    RecordOptions, RecordOptions:focus {
        & > .option-list--option-highlighted {
            text-style: bold underline;
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "cursor_down", "Next option", show=False, id="list.options-next"),
        Binding("k", "cursor_up", "Previous option", show=False, id="list.options-previous"),
        Binding("g", "first", "First option", show=False, id="list.options-first"),
        Binding("G", "last", "Last option", show=False, id="list.options-last"),
    ]
