"""The deal's History tab reads logged instants in local time, as `dealboard log` does."""

from __future__ import annotations

from collections.abc import Callable

from pilot_helpers import Host, settle
from textual.widgets import DataTable

from clock import FixedClock
from dealboard.domain.board import Board
from dealboard.ui.deal.screen import DealScreen
from helpers import win_in_berlin


async def test_the_history_tab_shows_the_close_in_local_time(
    board: Board, clock: FixedClock, zone: Callable[[str], None]
) -> None:
    won_in_berlin = win_in_berlin(board, clock, zone)
    async with Host(board, DealScreen(won_in_berlin)).run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("4")
        table = pilot.app.screen.query_one("#audit-table", DataTable)
        cells = [[c.plain for c in table.get_row_at(i)] for i in range(table.row_count)]
    closed = next(row for row in cells if row[2].startswith("closed at"))
    assert closed[3] == "2026-11-20 16:00"
