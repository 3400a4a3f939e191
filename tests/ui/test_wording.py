"""What the board says reads as English: counts agree with their nouns, verbs are verbs."""

from __future__ import annotations

from pilot_helpers import seen, settle
from textual.pilot import Pilot

from dealboard.domain.board import Board
from dealboard.ui.app import DealboardApp
from dealboard.ui.gate.checklist import ChecklistGate


def toasts(pilot: Pilot) -> list[str]:
    return [str(n.message) for n in pilot.app._notifications]


async def test_the_filter_counts_one_match_and_several_matches(demo_board: Board) -> None:
    async with DealboardApp(demo_board).run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"shelf-edge")
        await settle(pilot)
        assert "(1 match)" in seen(pilot.app.screen.query_one("#board-title"))
        await pilot.press("ctrl+u", *"@kenji")
        await settle(pilot)
        title = seen(pilot.app.screen.query_one("#board-title"))
        assert "matches)" in title and "(1 match" not in title


async def test_the_won_gate_asks_to_tick_every_item_to_win(demo_board: Board) -> None:
    async with DealboardApp(demo_board).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ChecklistGate)
        status = seen(pilot.app.screen.query_one("#gate-status"))
        assert "tick every item to win" in status


async def test_a_cancelled_move_mentions_ticks_only_when_some_were_made(demo_board: Board) -> None:
    async with DealboardApp(demo_board).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        assert isinstance(pilot.app.screen, ChecklistGate)
        await pilot.press("escape")
        await settle(pilot)
        assert toasts(pilot)[-1] == "move cancelled"

        await pilot.press("L")
        await settle(pilot)
        await pilot.press("space")  # tick the first
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert toasts(pilot)[-1] == "move cancelled; your ticks are saved"


async def test_help_names_the_same_objection_mark_the_cards_show(demo_board: Board) -> None:
    async with DealboardApp(demo_board).run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        marks = seen(pilot.app.screen.query_one("#help-marks"))
        assert "✋2   open objections" in marks and "⚑" not in marks
