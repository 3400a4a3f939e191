"""The account screen (`C` on a card or a deal): the customer's whole story on one screen.

A header with what is open, the lifetime won value per currency and the last
touch; every deal of the account across pipelines, grouped open, won, lost
(`enter` opens one); and beside or under it the contacts, open objections, the
deal lineage (which deal grew out of which) and the referrals the customer gave.
It reads through its `LiveLoader`, so a deal won elsewhere shows up by itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from dealboard.domain.errors import DealboardError, NotFound
from dealboard.domain.views import Live
from dealboard.domain.views.account_view import AccountDetail
from dealboard.ui.account.layout import WIDE_COLUMNS, deal_columns, deal_rows, details, header
from dealboard.ui.component_style import text_style
from dealboard.ui.deal.common import board_of
from dealboard.ui.deal.tables import fill_table, highlighted_key
from dealboard.ui.lists import RecordTable
from dealboard.ui.live_loader import LiveLoader
from dealboard.ui.palette import binding_commands
from dealboard.ui.spinner import DatabaseSpinner
from dealboard.ui.text import notify_plain, plain_line

#: The style names the layout paints with, each a component class `account--<name>`.
STYLES = ("open", "won", "lost", "heading", "muted", "warn")


class AccountScreen(Screen[None]):
    """One account: opened by its id, or as the account of a deal."""

    CSS_PATH = ["account.tcss", "../spinner.tcss"]
    COMPONENT_CLASSES = {f"account--{name}" for name in STYLES}
    BINDINGS = [
        Binding("escape,q", "back", "Back", id="account.back"),
        # priority: the table's own `enter` would otherwise hide this one from the footer
        Binding("enter", "open", "Open deal", id="account.open", priority=True),
        Binding("ctrl+r", "reload", "Reload", show=False, id="account.reload"),
    ]

    def __init__(self, account_id: int | None = None, *, deal_id: int | None = None) -> None:
        super().__init__()
        #: Known once the first read arrives when the screen was opened from a deal.
        self.account_id = account_id
        self.deal_id = deal_id
        self.detail: AccountDetail | None = None
        self._columns: list[tuple[str, int]] = []
        self.loader: LiveLoader[AccountDetail] = LiveLoader(
            self, self._read, self._arrived, what="Account", refused=self._refused
        )

    def compose(self) -> ComposeResult:
        yield Static(Text("Account: loading…"), id="account-title")
        yield Static(Text(""), id="account-summary")
        with Container(id="account-body"):
            yield RecordTable(id="account-deals", cursor_type="row")
            with VerticalScroll(id="account-side"):
                yield Static(Text(""), id="account-details")
        yield Footer()
        yield DatabaseSpinner()

    def on_mount(self) -> None:
        self.set_class(self.app.size.width >= WIDE_COLUMNS, "-wide")
        self.loader.start()

    def on_unmount(self) -> None:
        self.loader.stop()

    def _read(self, previous: Live[AccountDetail] | None) -> Callable[[], Live[AccountDetail]]:
        board, account_id, deal_id = board_of(self), self.account_id, self.deal_id
        return lambda: board.views.account(previous, account_id=account_id, deal_id=deal_id)

    def _arrived(self, live: Live[AccountDetail]) -> None:
        self.account_id = live.content.summary.id
        self.show(live.content)

    def _refused(self, error: DealboardError) -> None:
        notify_plain(self, str(error), title="Account not shown", severity="warning")
        if isinstance(error, NotFound) and self.is_current and self.detail is None:
            self.dismiss(None)

    def styles_by_name(self) -> dict[str, Style]:
        return {name: text_style(self, f"account--{name}") for name in STYLES}

    def show(self, detail: AccountDetail) -> None:
        """Draw `detail`; the cursor stays on the deal it was on."""
        self.detail = detail
        styles = self.styles_by_name()
        summary = detail.summary
        title = plain_line(summary.name)
        title.append(" · customer" if summary.is_customer else " · account", styles["muted"])
        self.query_one("#account-title", Static).update(title)
        today = board_of(self).today()
        self.query_one("#account-summary", Static).update(header(summary, today, styles))
        table = self.query_one("#account-deals", DataTable)
        columns = deal_columns(self._table_width(), detail)
        if columns != self._columns:
            current = highlighted_key(table)
            table.clear(columns=True)
            for label, width in columns:
                table.add_column(Text(label), width=width)
            self._columns = columns
            if current is not None:  # fill_table finds it again by its key
                table.add_row(*(Text("") for _ in columns), key=str(current))
        rows = deal_rows(detail, columns, styles)
        fill_table(table, rows)
        if table.row_count > 1 and (highlighted_key(table) or 0) < 0:
            table.move_cursor(row=table.cursor_row + 1, animate=False)  # a deal, not a heading
        self.query_one("#account-details", Static).update(details(detail, styles))
        table.focus()

    def _table_width(self) -> int:
        width = self.size.width or self.app.size.width
        return width - 60 if self.has_class("-wide") else width

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width >= WIDE_COLUMNS, "-wide")
        if self.detail is not None:
            self.show(self.detail)

    def highlighted_deal(self) -> int | None:
        """The deal under the cursor (the group headings are not deals: None)."""
        key = highlighted_key(self.query_one("#account-deals", DataTable))
        return key if key is not None and key > 0 else None

    def action_open(self) -> None:
        deal_id = self.highlighted_deal()
        if deal_id is not None:
            from dealboard.ui.deal.screen import DealScreen

            self.app.push_screen(DealScreen(deal_id))

    @on(DataTable.RowSelected)
    def _chosen(self) -> None:
        self.action_open()

    def action_reload(self) -> None:
        self.loader.reload()

    def action_back(self) -> None:
        self.dismiss(None)

    def on_screen_resume(self) -> None:
        self.loader.refresh()

    def palette_commands(self) -> Iterable[SystemCommand]:
        """The account screen's keys, by name, for the command palette."""
        return binding_commands(self)
