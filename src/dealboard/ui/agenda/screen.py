"""The Agenda (`A`): my overdue, today's and upcoming work across all deals; enter opens the deal.

Customers due a touch (the nurture list) come last; enter on one opens its account.

It reads through its `LiveLoader`, again whenever anyone commits a change, so a
call logged elsewhere drops off the list by itself. A manager switches with
`t` to the team agenda: every owner's work, grouped by owner. The columns
share the width so the thing to do is read in full (`dealboard.ui.agenda.columns`).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from dealboard.domain.agenda import AgendaItem, AgendaView, When, counts, require_team_agenda
from dealboard.domain.errors import DealboardError, RuleViolation
from dealboard.domain.views import Live
from dealboard.ui.agenda.columns import DEAL, Layout, Widths, plan, rows
from dealboard.ui.component_style import text_style
from dealboard.ui.deal.common import board_of
from dealboard.ui.deal.tables import fill_table, highlighted_key
from dealboard.ui.lists import RecordTable
from dealboard.ui.live_loader import LiveLoader
from dealboard.ui.spinner import DatabaseSpinner
from dealboard.ui.text import notify_plain


class AgendaScreen(Screen[None]):
    """One row per thing to do, most urgent first (by owner, then urgency, for the team)."""

    CSS_PATH = ["agenda.tcss", "../spinner.tcss"]
    COMPONENT_CLASSES = {
        "agenda--overdue",
        "agenda--today",
        "agenda--upcoming",
        "agenda--nurture",
        "agenda--deal",
    }
    BINDINGS = [
        Binding("escape,q,A", "back", "Back", id="agenda.back"),
        # priority: the table's own `enter` would otherwise hide this one from the footer
        Binding("enter", "open", "Open deal", id="agenda.open", priority=True),
        Binding("t", "team", "Mine/team", id="agenda.team"),
        Binding("ctrl+r", "reload", "Reload", show=False, id="agenda.reload"),
    ]

    def __init__(self) -> None:
        super().__init__()
        #: Whether the team agenda is asked for (managers); the view says what was read.
        self.team = False
        self.view: AgendaView | None = None
        self.items: dict[int, AgendaItem] = {}
        self._layout: list[tuple[str, int]] = []
        self.loader: LiveLoader[AgendaView] = LiveLoader(
            self, self._read, self._arrived, what="Agenda", refused=self._refused
        )

    def compose(self) -> ComposeResult:
        yield Static(Text("Agenda: loading…"), id="agenda-title")
        yield RecordTable(id="agenda-table", cursor_type="row")
        yield Footer()
        yield DatabaseSpinner()

    def on_mount(self) -> None:
        self.loader.start()

    def on_unmount(self) -> None:
        self.loader.stop()

    def _read(self, previous: Live[AgendaView] | None) -> Callable[[], Live[AgendaView]]:
        board, team = board_of(self), self.team
        return lambda: board.views.agenda(previous, team=team)

    def _arrived(self, live: Live[AgendaView]) -> None:
        self.show(live.content)

    def _refused(self, refusal: DealboardError) -> None:
        """A team read refused (the reader is no longer a manager): back to their own."""
        notify_plain(self, str(refusal), severity="warning")
        if self.team:
            self.team = False
            self.loader.reload()

    def show(self, view: AgendaView) -> None:
        switched = self.view is not None and self.view.team != view.team
        self.view = view
        self.items = {item.key: item for item in view.items}
        table = self.query_one("#agenda-table", DataTable)
        widths = Widths.of(view.items, view.today)
        layout = plan(widths, self.size.width or self.app.size.width, team=view.team)
        styles: dict[When | str, Style] = {
            key: text_style(self, f"agenda--{key}") for key in (*When, DEAL)
        }
        self._set_columns(table, layout, widths)
        fill_table(table, rows(layout, view.items, view.today, styles))
        if switched:  # mine ↔ team: start from the top, the most urgent (or the first owner)
            table.move_cursor(row=0, animate=False)
        self.query_one("#agenda-title", Static).update(Text(_title(view)))
        table.focus()

    def _set_columns(self, table: DataTable[object], layout: Layout, widths: Widths) -> None:
        """New columns when the layout changed; the cursor stays on its item."""
        headings = layout.headings(widths)
        if headings == self._layout:
            return
        current = highlighted_key(table)
        table.clear(columns=True)
        for label, width in headings:
            table.add_column(Text(label), width=width)
        self._layout = headings
        if current is not None:  # fill_table finds it again by its key
            table.add_row(*(Text("") for _ in headings), key=str(current))

    def on_resize(self, event: events.Resize) -> None:
        if self.view is not None:
            self.show(self.view)

    def highlighted(self) -> AgendaItem | None:
        key = highlighted_key(self.query_one("#agenda-table", DataTable))
        return self.items.get(key) if key is not None else None

    def action_open(self) -> None:
        item = self.highlighted()
        if item is not None and item.when is When.NURTURE and item.account_id is not None:
            from dealboard.ui.account.screen import AccountScreen

            self.app.push_screen(AccountScreen(item.account_id))
        elif item is not None:
            from dealboard.ui.deal.screen import DealScreen

            self.app.push_screen(DealScreen(item.deal_id))

    @on(DataTable.RowSelected)
    def _chosen(self) -> None:
        self.action_open()

    def action_team(self) -> None:
        """Mine ↔ team, for managers; a rep is told in one line why not."""
        if self.view is None:
            return
        if not self.team:
            try:
                require_team_agenda(self.view.reader)
            except RuleViolation as refusal:
                notify_plain(self, str(refusal), severity="warning")
                return
        self.team = not self.team
        self.loader.reload()

    def action_reload(self) -> None:
        self.loader.reload()

    def action_back(self) -> None:
        self.dismiss(None)

    def on_screen_resume(self) -> None:
        self.loader.refresh()


def _title(view: AgendaView) -> str:
    """`Team agenda: 3 overdue, 5 today, 40 in all`, or what to do about an empty one."""
    name = "Team agenda" if view.team else "Agenda"
    if not view.items:
        whose = "the team's open deals" if view.team else "each open deal"
        return f"{name}: nothing due — give {whose} a next step with a date"
    return f"{name}: {counts(view.items)}"
