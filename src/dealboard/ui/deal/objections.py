"""The Objection log: every concern the buyer raised, and where it stands.

Open objections are what stands between Pitch and Close, so the panel says
how many are still open and shows the whole text and response of the one
under the cursor (the table cuts long text to fit).
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Label, Static

from dealboard.domain.records import ObjectionRecord
from dealboard.ui.deal.tables import fill_table, highlighted_key
from dealboard.ui.lists import RecordTable
from dealboard.ui.text import fitted, plain, plain_line
from dealboard.vocabulary import ObjectionStatus

#: Cells the fixed columns take (category, kind, status, padding); the text gets the rest.
_FIXED_WIDTH = 40


def open_count(objections: tuple[ObjectionRecord, ...]) -> int:
    """Objections not yet answered or resolved."""
    return sum(1 for o in objections if o.status is ObjectionStatus.OPEN)


class ObjectionPanel(Vertical):
    """The objections table and the full text of the highlighted one."""

    COMPONENT_CLASSES = {"objection-panel--open", "objection-panel--resolved"}

    def __init__(self) -> None:
        super().__init__(id="objection-panel")
        self.objections: tuple[ObjectionRecord, ...] = ()

    def compose(self) -> ComposeResult:
        yield Label("No objections logged yet", id="objection-count", classes="panel-heading")
        table: DataTable[object] = RecordTable(id="objection-table", cursor_type="row")
        table.add_columns("Category", "Kind", "Status", "Objection")
        yield table
        yield Static(id="objection-detail")

    @property
    def table(self) -> DataTable[object]:
        return self.query_one("#objection-table", DataTable)

    def show(self, objections: tuple[ObjectionRecord, ...]) -> None:
        self.objections = objections
        width = max((self.size.width or self.app.size.width) - _FIXED_WIDTH, 20)
        fill_table(self.table, [(o.id, self._cells(o, width)) for o in objections])
        still_open = open_count(objections)
        noun = "objection" if len(objections) == 1 else "objections"
        count = (
            f"{len(objections)} {noun} · {still_open} open"
            if objections
            else "No objections logged yet"
        )
        self.query_one("#objection-count", Label).update(Text(count))
        self._show_detail()

    def _cells(self, objection: ObjectionRecord, width: int) -> tuple[Text, ...]:
        status_style = {
            ObjectionStatus.OPEN: self.get_component_rich_style("objection-panel--open"),
            ObjectionStatus.RESOLVED: self.get_component_rich_style("objection-panel--resolved"),
        }.get(objection.status, "")
        return (
            plain_line(objection.category.value),
            Text("hidden" if objection.hidden else "expressed"),
            Text(objection.status.value, style=status_style),
            fitted(objection.text, width),
        )

    def highlighted(self) -> ObjectionRecord | None:
        key = highlighted_key(self.table)
        return next((o for o in self.objections if o.id == key), None)

    @on(DataTable.RowHighlighted, "#objection-table")
    def _show_detail(self) -> None:
        objection = self.highlighted()
        detail = self.query_one("#objection-detail", Static)
        if objection is None:
            detail.update(Text("a: log the first objection the buyer raised"))
            return
        response = objection.response or "no response yet (r to answer)"
        detail.update(
            Text("Objection: ", style="bold")
            + plain(objection.text)
            + Text("\nResponse:  ", style="bold")
            + plain(response)
        )
