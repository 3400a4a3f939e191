"""`u` and `U`: your own last changes put back and made again, never over a colleague's work."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from dealboard.db.models import AuditEntry, StageTransition
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.errors import RuleViolation
from dealboard.vocabulary import ChangeKind, LossReason
from helpers import row_counts, tick_all


def new_deal(board: Board) -> int:
    return board.add_deal(DealFields(title="Fleet telematics", value="48000", account="Northwind"))


def transitions(board: Board, deal_id: int) -> int:
    with board.database.read() as session:
        return session.scalar(select(func.count()).where(StageTransition.deal_id == deal_id)) or 0


def test_a_move_is_undone_and_redone_as_new_recorded_changes(board: Board) -> None:
    deal_id = new_deal(board)
    tick_all(board, deal_id, "Prospect")
    board.move(deal_id, "Qualify")
    moved = transitions(board, deal_id)

    result = board.undo()
    assert result.kind is ChangeKind.UNDO and result.deal_id == deal_id
    assert "stage Qualify → Prospect" in result.description
    assert board.deal(deal_id).summary.stage == "Prospect"
    assert transitions(board, deal_id) == moved - 1  # an undone stay is no stay (the log keeps it)
    undo_rows = [a for a in board.deal(deal_id).audit if a.kind == "undo"]
    assert ("stage", "Qualify", "Prospect") in [
        (a.field, a.old_value, a.new_value) for a in undo_rows
    ]
    assert {a.field for a in undo_rows} == {"stage", "position", "stage_entered_at"}

    assert board.redo().kind is ChangeKind.REDO
    assert board.deal(deal_id).summary.stage == "Qualify"
    assert board.undo().kind is ChangeKind.UNDO  # undoing the redo
    assert board.deal(deal_id).summary.stage == "Prospect"


def test_undo_walks_back_edits_and_ticks_one_change_at_a_time(board: Board) -> None:
    deal_id = new_deal(board)
    board.edit_deal(deal_id, DealFields(title="Fleet rollout", value="52000", add_tags=("q3",)))
    board.set_check(deal_id, "1")
    board.undo()
    detail = board.deal(deal_id)
    assert detail.summary.checklist_done == 0
    assert detail.summary.title == "Fleet rollout"
    board.undo()
    summary = board.deal(deal_id).summary
    assert (summary.title, summary.value_minor, summary.tags) == ("Fleet telematics", 4_800_000, ())
    with pytest.raises(RuleViolation, match="cannot undo adding deal"):
        board.undo()  # the next one back is the deal's creation
    board.redo()
    assert board.deal(deal_id).summary.title == "Fleet rollout"


def test_closing_won_or_lost_is_undone_back_into_the_open_stage(board: Board) -> None:
    won, lost = new_deal(board), new_deal(board)
    for stage in ("Prospect",):
        tick_all(board, lost, stage)
    board.lose(lost, "price", "Went with a cheaper vendor")
    board.undo()
    summary = board.deal(lost).summary
    assert summary.stage == "Prospect" and summary.closed_at is None
    assert summary.loss_reason is None and summary.loss_note == ""
    board.redo()
    assert board.deal(lost).summary.loss_reason is LossReason.PRICE
    board.win(won, override="Signed early")
    board.undo()
    assert board.deal(won).summary.stage == "Prospect"
    assert board.deal(won).summary.closed_at is None


def test_undo_is_refused_when_someone_else_changed_the_deal_since(
    board: Board, rep_board: Board
) -> None:
    deal_id = new_deal(rep_board)  # rick's deal: he and his manager may both change it
    board.edit_deal(deal_id, DealFields(next_step="Call the CFO"))
    rep_board.edit_deal(deal_id, DealFields(account="Northwind Group"))
    before = row_counts(board)
    with pytest.raises(RuleViolation, match=r"Rick Rep changed deal \d+ at .* nothing was changed"):
        board.undo()
    assert row_counts(board) == before
    assert board.deal(deal_id).summary.next_step == "Call the CFO"


def test_there_is_nothing_to_redo_after_a_new_change_and_nothing_to_undo_at_first(
    board: Board, rep_board: Board
) -> None:
    with pytest.raises(RuleViolation, match="nothing to undo"):
        rep_board.undo()
    deal_id = new_deal(board)
    board.edit_deal(deal_id, DealFields(title="One"))
    board.undo()
    board.edit_deal(deal_id, DealFields(account="Two"))
    with pytest.raises(RuleViolation, match="nothing to redo"):
        board.redo()
    with board.database.read() as session:
        kinds = session.scalars(select(AuditEntry.field).where(AuditEntry.deal_id == deal_id))
        assert sorted(kinds).count("title") == 3  # create, edit, undo: all in the history
