"""`A` opens the agenda; enter jumps to the deal; it follows others' changes by itself."""

from __future__ import annotations

from pilot_helpers import after_a_change_elsewhere, deal_titled, seen, settle
from textual.widgets import DataTable

from dealboard.db.database import Database
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.ui.agenda.screen import AgendaScreen
from dealboard.ui.app import DealboardApp
from dealboard.ui.deal.screen import DealScreen


def _rows(pilot) -> list[str]:  # type: ignore[no-untyped-def]
    table = pilot.app.screen.query_one("#agenda-table", DataTable)
    return [" | ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


async def test_the_agenda_lists_my_work_and_enter_opens_the_deal(board: Board, clock) -> None:
    board.add_deal(DealFields(title="Fleet", next_step="Call the CFO", next_step_due="-1d"))
    kiosks = board.add_deal(DealFields(title="Kiosks"))
    board.add_activity(kiosks, kind="meeting", subject="Demo [b]day[/b]", due="today")
    async with DealboardApp(board).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        assert isinstance(pilot.app.screen, AgendaScreen)
        rows = _rows(pilot)
        assert rows[0].startswith("overdue") and "Fleet" in rows[0] and "Call the CFO" in rows[0]
        assert rows[1].startswith("today") and "Demo [b]day[/b]" in rows[1]
        assert "1 overdue, 1 today" in seen(pilot.app.screen.query_one("#agenda-title"))
        other = Board(Database(board.database.url), "rick", clock)
        other.add_deal(DealFields(title="Rick's own", next_step="x", next_step_due="today"))
        board.add_activity(kiosks, kind="call", subject="Call back", due="+2d")
        await after_a_change_elsewhere(pilot)  # no key: the agenda follows changes by itself
        assert len(_rows(pilot)) == 3 and "Call back" in _rows(pilot)[2]
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, DealScreen)
        assert pilot.app.screen.deal_id == kiosks
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, AgendaScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, AgendaScreen)
    other.database.dispose()
    assert deal_titled(board, "Kiosks").id == kiosks
