"""WIP limits on the board: headers read `12/15`, and a full hard stage refuses through the gate."""

from __future__ import annotations

from dataclasses import replace

from pilot_helpers import board_screen, column_named, deal_titled, seen, settle
from textual.pilot import Pilot

from clock import FixedClock
from dealboard.db.database import Database
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.stage_limits import WipLimit
from dealboard.ui.app import DealboardApp
from dealboard.ui.board.cards import CARD_HEIGHT
from dealboard.ui.gate.checklist import ChecklistGate
from helpers import tick_all

REP = "rick"
#: Fourth card of Prospect on the demo board, its checklist complete: only a limit stops it.
TOKYO = "東京 office expansion 🚀"
FULL = "Qualify is full: 5/5 deals (hard WIP limit)"


def _limit_qualify(board: Board) -> None:
    """Qualify (5 demo deals) gets a hard limit of 5, as an edited pipeline file would give it."""
    spec = board.export_pipeline("seven-step")
    stages = tuple(
        replace(s, wip=WipLimit(5, hard=True)) if s.name == "Qualify" else s for s in spec.stages
    )
    board.import_pipeline(replace(spec, stages=stages))


def _rep_with_a_ready_deal(board: Board, clock: FixedClock) -> tuple[Board, int]:
    """Rick, a rep, and his deal at the foot of Prospect with its checklist done."""
    board.add_user(REP, "Rick Rep", "rep")
    rep = Board(Database(board.database.url), REP, clock)
    deal_id = rep.add_deal(DealFields(title="Rick's walk-in"))
    tick_all(rep, deal_id, "Prospect")
    return rep, deal_id


def _header(pilot: Pilot, stage: str) -> str:
    return seen(column_named(pilot, stage).header)


def _gate(pilot: Pilot) -> ChecklistGate:
    gate = pilot.app.screen
    assert isinstance(gate, ChecklistGate), gate
    return gate


def _messages(pilot: Pilot) -> list[str]:
    return [str(n.message) for n in pilot.app._notifications]


async def test_headers_show_the_count_against_the_limit_and_warn_at_it(
    demo_board: Board,
) -> None:
    async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("5")  # Overcome Objections: 4 deals, a soft limit of 4
        await settle(pilot)
        objections = column_named(pilot, "Overcome Objections")
        first_line = _header(pilot, "Overcome Objections").splitlines()[0]
        assert first_line.rstrip().endswith("⚠ 4/4")  # a sign, not only a colour
        assert len(first_line) <= objections.size.width
        assert objections.has_class("-wip-full") and not objections.has_class("-wip-hard")
        assert "Pitch" in _header(pilot, "Pitch") and " 5/6" in _header(pilot, "Pitch")
        assert not column_named(pilot, "Pitch").has_class("-wip-full")
        assert _header(pilot, "Prospect").splitlines()[0].rstrip().endswith(" 6")  # no limit


async def test_a_full_hard_stage_reads_full_and_a_free_slot_clears_it(demo_board: Board) -> None:
    _limit_qualify(demo_board)
    async with DealboardApp(demo_board).run_test(size=(200, 60)) as pilot:
        await settle(pilot)
        assert "⚠ 5/5 full" in _header(pilot, "Qualify")
        qualify = column_named(pilot, "Qualify")
        assert qualify.has_class("-wip-full") and qualify.has_class("-wip-hard")
        leaving = next(d for d in demo_board.list_deals(stage="Qualify"))
        demo_board.lose(leaving.id, "timing")
        await pilot.press("r")
        await settle(pilot)
        assert "4/5" in _header(pilot, "Qualify") and "⚠" not in _header(pilot, "Qualify")
        assert not qualify.has_class("-wip-full")


async def test_a_rep_moving_by_key_into_a_full_stage_is_refused_and_the_card_stays(
    demo_board: Board, clock: FixedClock
) -> None:
    _limit_qualify(demo_board)
    rep, deal_id = _rep_with_a_ready_deal(demo_board, clock)
    async with DealboardApp(rep).run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("G")  # his deal, last in Prospect
        assert board_screen(pilot).focused_deal.id == deal_id
        await pilot.press("L")
        await settle(pilot)
        gate = _gate(pilot)
        assert seen(gate.query_one("#gate-full")).strip() == f"⚠ {FULL}"
        assert "only a manager can move a deal in" in seen(gate.query_one("#gate-status"))
        assert gate.query_one("#gate-move").disabled
        assert not gate.query("#gate-override")
        await pilot.press("ctrl+s")  # Move is off: nothing happens
        await settle(pilot)
        assert pilot.app.screen is gate
        await pilot.press("escape")
        await settle(pilot)
        assert f"not moved: {FULL}" in _messages(pilot)
        assert board_screen(pilot).focused_deal.id == deal_id
    assert rep.deal(deal_id).summary.stage == "Prospect"
    rep.database.dispose()


async def test_a_manager_overrides_a_full_stage_with_a_reason(demo_board: Board) -> None:
    _limit_qualify(demo_board)
    async with DealboardApp(demo_board).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "j")
        assert board_screen(pilot).focused_deal.title == TOKYO
        await pilot.press("L")
        await settle(pilot)
        gate = _gate(pilot)
        assert FULL in seen(gate.query_one("#gate-full"))
        assert gate.query_one("#gate-move").disabled
        await pilot.press("o")
        await pilot.press(*"Tokyo board meets Monday", "enter")
        await settle(pilot)
        assert "⚠ 6/5 full" in _header(pilot, "Qualify")
    deal = deal_titled(demo_board, TOKYO)
    assert deal.stage == "Qualify"
    moved = demo_board.deal(deal.id).history[0]
    assert (moved.to_stage, moved.override_reason) == ("Qualify", "Tokyo board meets Monday")


async def test_a_card_dragged_into_a_full_stage_is_refused_and_stays(
    demo_board: Board, clock: FixedClock
) -> None:
    _limit_qualify(demo_board)
    rep, deal_id = _rep_with_a_ready_deal(demo_board, clock)
    async with DealboardApp(rep).run_test(size=(200, 60), notifications=True) as pilot:
        await settle(pilot)
        prospect = column_named(pilot, "Prospect").cards
        qualify = column_named(pilot, "Qualify").cards
        his_card = (3, CARD_HEIGHT * 6 + 2)  # after the six demo deals
        assert prospect.card_at(6).id == deal_id
        await pilot.mouse_down(prospect, offset=his_card)
        await pilot.hover(prospect, offset=(10, CARD_HEIGHT * 6 + 2))
        await pilot.hover(qualify, offset=(5, 1))
        await pilot.mouse_up(qualify, offset=(5, 1))
        await settle(pilot)
        gate = _gate(pilot)
        assert FULL in seen(gate.query_one("#gate-full"))
        await pilot.press("escape")
        await settle(pilot)
        assert not board_screen(pilot).query_one("#drag-ghost").display
        assert deal_id not in [d.id for d in column_named(pilot, "Qualify").cards.deals]
    assert rep.deal(deal_id).summary.stage == "Prospect"
    rep.database.dispose()
