"""A move made from an old picture of the deal is refused, naming who moved it first."""

from __future__ import annotations

import pytest

from clock import FixedClock
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.errors import Conflict
from dealboard.domain.ties import follows
from dealboard.vocabulary import BantItem
from helpers import row_counts, tick_all


@pytest.fixture
def sam(board: Board, clock: FixedClock) -> Board:
    board.add_user("sam", "Sam Seller", "manager")
    return Board(board.database, "sam", clock)


def test_a_move_from_a_stage_the_deal_has_left_is_refused_and_names_the_mover(
    board: Board, sam: Board
) -> None:
    deal_id = board.add_deal(DealFields(title="Online booking"))
    sam.move(deal_id, "Research", override="fast track")
    before = row_counts(board)
    with pytest.raises(Conflict) as refused:
        board.move(deal_id, "Qualify", override="mine", from_stage="Prospect")
    assert str(refused.value).startswith("Online booking: Sam Seller moved it to Research at ")
    assert refused.value.by == "sam"
    assert board.deal(deal_id).summary.stage == "Research"
    assert row_counts(board) == before


def test_winning_from_a_stage_the_deal_has_left_is_refused(board: Board, sam: Board) -> None:
    deal_id = board.add_deal(DealFields(title="Online booking"))
    sam.move(deal_id, "Qualify", override="fast track")
    with pytest.raises(Conflict, match="Sam Seller moved it to Qualify"):
        board.win(deal_id, override="signed", from_stage="Prospect")
    assert board.deal(deal_id).summary.stage == "Qualify"


def test_a_move_from_the_stage_the_deal_is_in_goes_through(board: Board) -> None:
    deal_id = board.add_deal(DealFields(title="Online booking"))
    tick_all(board, deal_id, "Prospect")
    result = board.move(deal_id, "Qualify", from_stage="Prospect")
    assert result.moved and result.to_stage == "Qualify"


def test_the_gate_view_follows_ticks_and_names_who_made_them(board: Board, sam: Board) -> None:
    deal_id = board.add_deal(DealFields(title="Online booking"))
    first = board.views.gate(deal_id, None)
    assert first.content.stage == "Prospect"
    assert not first.content.tick("Prospect", "Source recorded").checked
    sam.set_check(deal_id, "Source recorded", stage="Prospect")
    later = board.views.gate(deal_id, first)
    tick = later.content.tick("Prospect", "Source recorded")
    assert tick.checked and tick.by == "sam"
    assert board.views.gate(deal_id, later).content is later.content  # nothing new: no re-read
    sam.move(deal_id, "Qualify", override="fast track")
    moved = board.views.gate(deal_id, later).content
    assert moved.stage == "Qualify"
    assert moved.last_move is not None
    assert moved.last_move.said("maria", board.now()).startswith("Sam Seller moved it to Qualify")
    assert moved.last_move.said("sam", board.now()).startswith("You moved it to Qualify")


def test_what_a_tied_criterion_follows_is_named_plainly() -> None:
    assert follows(None, BantItem.BUDGET) == "BANT: Budget"
    assert follows("research:buying_process", None) == "Research: Buying process"
    assert follows("objections:resolved", None) == "objections"
    assert follows(None, None) == ""
