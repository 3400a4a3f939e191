"""A manager working the board for a teammate (`--as`) sees it as theirs, and is named too."""

from __future__ import annotations

from pilot_helpers import card_titles, seen, settle, wait_until
from sqlalchemy.engine import URL
from textual.widgets import Input

from dealboard.db.database import Database
from dealboard.domain.board import Board
from dealboard.ui.app import DealboardApp
from dealboard.ui.deal.form import DealForm


async def test_a_manager_acting_for_a_rep_adds_the_reps_deal_and_the_log_names_both(
    board: Board, db_url: URL
) -> None:
    board.add_user("sam", "Sam Seller", "rep")
    for_sam = Board(Database(db_url), "maria", board.clock, acting_for="sam")
    async with DealboardApp(for_sam).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        title = seen(pilot.app.screen.query_one("#board-title"))
        assert "maria as Sam Seller (rep)" in title
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, DealForm), what="the form")
        form = pilot.app.screen
        assert form.query_one("#field-owner", Input).value == "sam"
        form.query_one("#field-title", Input).focus()
        await pilot.press(*"Sam's kiosks", "ctrl+s")
        await wait_until(
            pilot, lambda: "Sam's kiosks" in card_titles(pilot, "Prospect"), what="the new card"
        )
    for_sam.database.dispose()
    [deal] = [d for d in board.list_deals() if d.title == "Sam's kiosks"]
    assert deal.owner == "sam"
    assert {entry.user for entry in board.deal(deal.id).audit} == {"maria as sam"}
