"""A locked database never freezes the board: a spinner shows, keys still work, the write lands."""

from __future__ import annotations

import sqlite3

import pytest
from pilot_helpers import board_screen, card_titles, settle, wait_until
from test_two_boards import MOVED, _focus

from dealboard.domain.board import Board
from dealboard.ui.app import DealboardApp
from dealboard.ui.spinner import DatabaseSpinner


async def test_a_write_waiting_on_a_lock_shows_a_spinner_and_the_board_keeps_answering(
    demo_board: Board,
) -> None:
    if not demo_board.database.is_sqlite:
        pytest.skip("the lock is taken with SQLite's BEGIN IMMEDIATE")
    async with DealboardApp(demo_board).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _focus(pilot, "Qualify", "2", MOVED)
        await pilot.press("L")
        await settle(pilot)
        spinner = pilot.app.screen.query_one(DatabaseSpinner)
        assert not spinner.display
        holder = sqlite3.connect(str(demo_board.database.url.database), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another process is writing, and takes its time
        try:
            await pilot.press("u")
            # The write is still waiting for the lock: wait for the spinner, not for quiet.
            await wait_until(pilot, lambda: spinner.display, what="the spinner", then_settle=False)
            assert "waiting for the database" in str(spinner.render())
            screen = board_screen(pilot)
            before = screen.focused_column.stage.name
            await pilot.press("left")  # the UI thread is free: keys still move the cursor
            await pilot.pause()
            assert screen.focused_column.stage.name != before
        finally:
            holder.rollback()
            holder.close()
        await wait_until(  # the undo went through once unlocked (its retry backs off first)
            pilot, lambda: MOVED in card_titles(pilot, "Qualify"), timeout=15, what="the undo"
        )
        await wait_until(pilot, lambda: not spinner.display, what="the spinner to go")
