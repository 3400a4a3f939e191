"""The issue's "done means", as one keyboard-only pipeline review at 80×24.

Review the demo board, open a deal, log an objection, tick the criteria, write
the research notes its next criteria follow, move the deal two stages on, and
close another deal as lost with a reason.
"""

from __future__ import annotations

from pilot_helpers import board_screen, deal_titled, settle

from dealboard.domain.board import Board
from dealboard.ui.app import DealboardApp
from dealboard.ui.deal.screen import DealScreen
from dealboard.ui.gate.checklist import ChecklistGate
from dealboard.ui.gate.closing import LostDialog
from dealboard.vocabulary import LossReason, ObjectionCategory, StageKind

DEAL = "Cold-chain monitoring, 40 trucks"  # Qualify, 1 of 4 ticked


async def test_a_keyboard_only_review_at_80_by_24(demo_board: Board) -> None:
    async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = board_screen(pilot)
        await pilot.press("l", "l", "l", "j", "G", "g", "2")  # walk the board
        assert screen.focused_deal.title == DEAL

        await pilot.press("enter")  # open it and log an objection
        await settle(pilot)
        assert isinstance(pilot.app.screen, DealScreen)
        await pilot.press("2", "a")
        await settle(pilot)
        await pilot.press(*"Needs SAP integration first")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert pilot.app.screen is screen

        await pilot.press("L")  # blocked: tick every open criterion, then move
        await settle(pilot)
        gate = pilot.app.screen
        assert isinstance(gate, ChecklistGate)
        for _ in range(3):
            await pilot.press("space", "down")
            await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert deal_titled(demo_board, DEAL).stage == "Research"

        await pilot.press("enter", "1", "a")  # Research's criteria follow its notes: write them
        await settle(pilot)
        await pilot.press(*"Dana Lee")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("j", "j")  # past Dana Lee, then the first note: the buying process
        for step in ("", "jjj", "kk"):  # then pain points, then key objectives
            await pilot.press(*step, "e", *"From the call.", "ctrl+s")
            await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("L")  # nothing open: it moves at once
        await settle(pilot)
        assert deal_titled(demo_board, DEAL).stage == "Pitch"
        assert screen.focused_deal.title == DEAL

        await pilot.press("1", "x")  # another deal, closed as lost
        await settle(pilot)
        lost_title = screen.focused_deal.title
        assert isinstance(pilot.app.screen, LostDialog)
        await pilot.press("down", "down", "space", "tab", *"Chose the cheaper tool", "enter")
        await settle(pilot)

    deal = deal_titled(demo_board, DEAL)
    objections = demo_board.deal(deal.id).objections
    assert any(
        o.text == "Needs SAP integration first" and o.category is ObjectionCategory.PRODUCT
        for o in objections
    )
    lost = deal_titled(demo_board, lost_title)
    assert lost.stage_kind is StageKind.LOST
    assert lost.loss_reason is LossReason.PRICE
    assert lost.loss_note == "Chose the cheaper tool"
