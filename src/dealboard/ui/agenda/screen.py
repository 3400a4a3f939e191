"""The Agenda (`A`): my overdue, today's and upcoming work across all deals; enter opens the deal.

It reads through its `LiveLoader`, again whenever anyone commits a change, so a
call logged elsewhere drops off the list by itself.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from dealboard.domain.agenda import AgendaItem, When
from dealboard.domain.views import Live
from dealboard.ui.component_style import text_style
from dealboard.ui.deal.common import board_of
from dealboard.ui.deal.tables import fill_table, highlighted_key
from dealboard.ui.lists import RecordTable
from dealboard.ui.live_loader import LiveLoader
from dealboard.ui.spinner import DatabaseSpinner
from dealboard.ui.text import fitted, plain_line

_LABELS = {When.OVERDUE: "overdue", When.TODAY: "today", When.UPCOMING: "upcoming"}


class AgendaScreen(Screen[None]):
    """One row per thing to do, most urgent first."""

    CSS_PATH = ["agenda.tcss", "../spinner.tcss"]
    COMPONENT_CLASSES = {"agenda--overdue", "agenda--today", "agenda--upcoming"}
    BINDINGS = [
        Binding("escape,q,A", "back", "Back", id="agenda.back"),
        Binding("enter", "open", "Open deal", id="agenda.open"),
        Binding("ctrl+r", "reload", "Reload", show=False, id="agenda.reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.items: list[AgendaItem] = []
        self.loader: LiveLoader[list[AgendaItem]] = LiveLoader(
            self, self._read, self._arrived, what="Agenda"
        )

    def compose(self) -> ComposeResult:
        yield Static(Text("Agenda: loading…"), id="agenda-title")
        table: DataTable[object] = RecordTable(id="agenda-table", cursor_type="row")
        table.add_columns("When", "Due", "Kind", "Deal", "Stage", "To do")
        yield table
        yield Footer()
        yield DatabaseSpinner()

    def on_mount(self) -> None:
        self.loader.start()

    def on_unmount(self) -> None:
        self.loader.stop()

    def _read(
        self, previous: Live[list[AgendaItem]] | None
    ) -> Callable[[], Live[list[AgendaItem]]]:
        board = board_of(self)
        return lambda: board.views.agenda(previous)

    def _arrived(self, live: Live[list[AgendaItem]]) -> None:
        self.show(live.content)

    def show(self, items: list[AgendaItem]) -> None:
        self.items = items
        table = self.query_one("#agenda-table", DataTable)
        free = max(self.app.size.width - 50, 30)
        fill_table(table, [(index, self._cells(item, free)) for index, item in enumerate(items)])
        late = sum(1 for i in items if i.when is When.OVERDUE)
        due_today = sum(1 for i in items if i.when is When.TODAY)
        title = f"Agenda: {late} overdue, {due_today} today, {len(items)} in all"
        self.query_one("#agenda-title", Static).update(Text(title))
        if not items:
            self.query_one("#agenda-title", Static).update(
                Text("Agenda: nothing due — give each open deal a next step with a date")
            )
        table.focus()

    def _cells(self, item: AgendaItem, free: int) -> tuple[Text, ...]:
        style = text_style(self, f"agenda--{item.when.value}")
        return (
            Text(_LABELS[item.when], style=style),
            Text(item.due.strftime("%a %d %b")),
            plain_line(item.kind),
            fitted(item.deal_title, free // 2),
            plain_line(item.stage),
            fitted(item.what, free - free // 2),
        )

    def highlighted(self) -> AgendaItem | None:
        key = highlighted_key(self.query_one("#agenda-table", DataTable))
        return self.items[key] if key is not None and key < len(self.items) else None

    def action_open(self) -> None:
        item = self.highlighted()
        if item is not None:
            from dealboard.ui.deal.screen import DealScreen

            self.app.push_screen(DealScreen(item.deal_id))

    @on(DataTable.RowSelected)
    def _chosen(self) -> None:
        self.action_open()

    def action_reload(self) -> None:
        self.loader.reload()

    def action_back(self) -> None:
        self.dismiss(None)

    def on_screen_resume(self) -> None:
        self.loader.refresh()
