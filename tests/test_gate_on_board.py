"""The gate on a real board: refused moves write nothing; allowed ones are recorded."""

from __future__ import annotations

import pytest

from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.errors import InvalidInput, NotFound, RuleViolation
from dealboard.vocabulary import LossReason, StageKind
from helpers import row_counts, tick_all


def new_deal(board: Board, title: str = "Fleet telematics rollout") -> int:
    return board.add_deal(DealFields(title=title, value="48k", account="Northwind Logistics"))


def test_a_new_deal_starts_in_the_first_stage(board: Board) -> None:
    deal = board.deal(new_deal(board)).summary
    assert deal.stage == "Prospect"
    assert (deal.checklist_done, deal.checklist_total) == (0, 3)


def test_moving_on_with_an_incomplete_checklist_is_refused(board: Board) -> None:
    deal_id = new_deal(board)
    board.set_check(deal_id, "1")
    before = row_counts(board)
    with pytest.raises(RuleViolation) as refused:
        board.move(deal_id, "Qualify")
    message = str(refused.value)
    assert "Prospect: A contact person is known" in message
    assert "Prospect: Source recorded" in message
    assert "Fits the target customer profile" not in message
    assert board.deal(deal_id).summary.stage == "Prospect"
    assert row_counts(board) == before


def test_moving_on_is_allowed_once_every_criterion_is_ticked(board: Board) -> None:
    deal_id = new_deal(board)
    tick_all(board, deal_id, "Prospect")
    result = board.move(deal_id, "qualify")
    assert (result.from_stage, result.to_stage, result.overridden) == ("Prospect", "Qualify", False)
    detail = board.deal(deal_id)
    assert detail.summary.stage == "Qualify"
    assert [(t.from_stage, t.to_stage) for t in detail.history] == [
        ("Prospect", "Qualify"),
        (None, "Prospect"),
    ]
    assert any(a.field == "stage" and a.new_value == "Qualify" for a in detail.audit)


def test_skipping_a_stage_is_refused_and_says_so(board: Board) -> None:
    deal_id = new_deal(board)
    tick_all(board, deal_id, "Prospect")
    with pytest.raises(RuleViolation, match=r"would skip Qualify.*Qualify: Budget confirmed"):
        board.move(deal_id, "Research")
    assert board.deal(deal_id).summary.stage == "Prospect"


def test_a_stage_may_be_skipped_when_its_work_is_done_too(board: Board) -> None:
    deal_id = new_deal(board)
    tick_all(board, deal_id, "Prospect")
    tick_all(board, deal_id, "Qualify")
    result = board.move(deal_id, "Research")
    assert result.skipped == ("Qualify",)


def test_moving_backward_is_allowed_and_keeps_the_ticks(board: Board) -> None:
    deal_id = new_deal(board)
    tick_all(board, deal_id, "Prospect")
    board.move(deal_id, "Qualify")
    board.move(deal_id, "Prospect")
    detail = board.deal(deal_id)
    assert detail.summary.stage == "Prospect"
    assert detail.summary.checklist_done == 3


def test_lost_needs_a_reason_category(board: Board) -> None:
    deal_id = new_deal(board)
    before = row_counts(board)
    with pytest.raises(InvalidInput, match=r"reason: 'sad' .*competitor, no-decision"):
        board.lose(deal_id, "sad")
    with pytest.raises(InvalidInput, match="reason: 'unknown'"):
        board.lose(deal_id, "unknown")
    with pytest.raises(RuleViolation, match="needs a reason"):
        board.move(deal_id, "Lost")
    assert row_counts(board) == before
    board.lose(deal_id, "no-decision", "Went quiet after the demo")
    deal = board.deal(deal_id).summary
    assert (deal.stage_kind, deal.loss_reason, deal.loss_note) == (
        StageKind.LOST,
        LossReason.NO_DECISION,
        "Went quiet after the demo",
    )
    assert deal.closed_at is not None


def test_won_needs_every_open_stage_done(board: Board) -> None:
    deal_id = new_deal(board)
    tick_all(board, deal_id, "Prospect")
    with pytest.raises(RuleViolation, match="Qualify: Budget confirmed"):
        board.win(deal_id)
    for stage in board.pipeline().open_stages:
        tick_all(board, deal_id, stage.name)
    board.win(deal_id)
    assert board.deal(deal_id).summary.status == "won"


def test_a_manager_override_is_recorded_with_its_reason(board: Board) -> None:
    deal_id = new_deal(board)
    result = board.move(deal_id, "Pitch", override="CEO intro, qualified on the call")
    assert result.overridden
    detail = board.deal(deal_id)
    assert detail.summary.stage == "Pitch"
    assert detail.history[0].override_reason == "CEO intro, qualified on the call"
    assert any(
        a.field == "gate override" and a.new_value == "CEO intro, qualified on the call"
        for a in detail.audit
    )


def test_a_rep_cannot_override_the_gate(board: Board, rep_board: Board) -> None:
    deal_id = new_deal(rep_board)
    before = row_counts(board)
    with pytest.raises(RuleViolation, match="only a manager may override the gate"):
        rep_board.move(deal_id, "Pitch", override="trust me")
    assert row_counts(board) == before


def test_an_override_must_give_a_reason(board: Board) -> None:
    deal_id = new_deal(board)
    with pytest.raises(InvalidInput, match="override: "):
        board.move(deal_id, "Pitch", override="   ")


def test_reopening_puts_a_closed_deal_back_where_it_was(board: Board) -> None:
    deal_id = new_deal(board)
    tick_all(board, deal_id, "Prospect")
    board.move(deal_id, "Qualify")
    board.lose(deal_id, "timing", "Budget frozen until Q3")
    with pytest.raises(RuleViolation, match="reopen it"):
        board.set_check(deal_id, "1")
    board.reopen(deal_id)
    deal = board.deal(deal_id).summary
    assert (deal.stage, deal.status, deal.loss_reason, deal.closed_at) == (
        "Qualify",
        "open",
        None,
        None,
    )


def test_ticks_record_who_and_when(board: Board, clock) -> None:
    deal_id = new_deal(board)
    item = board.set_check(deal_id, "contact person")
    assert item.checked and item.checked_by == "maria" and item.checked_at == clock.now
    unticked = board.set_check(deal_id, "2", checked=False)
    assert not unticked.checked
    with pytest.raises(NotFound, match=r"item: no item '9'.*1\. Fits"):
        board.set_check(deal_id, "9")
