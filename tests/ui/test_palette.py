"""Every screen's keys can be found by name in the command palette."""

from __future__ import annotations

from pilot_helpers import settle

from dealboard.domain.board import Board
from dealboard.ui.app import DealboardApp


async def test_board_and_reports_keys_are_palette_commands(demo_board: Board) -> None:
    async with DealboardApp(demo_board).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        board = {c.title: c.help for c in pilot.app.screen.palette_commands()}
        assert board["Move on"] == "key: L"
        assert not any(title.startswith("Jump") for title in board)
        await pilot.press("R")
        await settle(pilot)
        reports = [c.title for c in pilot.app.screen.palette_commands()]
        assert reports and all(title.startswith("Reports: ") for title in reports)
