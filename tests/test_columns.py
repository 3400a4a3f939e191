"""Board columns: per-currency totals, weighting, and the card facts."""

from __future__ import annotations

from datetime import timedelta

from clock import FixedClock
from dealboard.domain.badges import quiet_days
from dealboard.domain.board import Board
from dealboard.domain.columns import (
    board_columns,
    checklist_progress,
    days_in_stage,
    next_step_overdue,
)
from dealboard.domain.deals import DealFields


def test_column_totals_never_add_currencies_together(board: Board) -> None:
    board.add_deal(DealFields(title="A", value="48k"), stage="Pitch")
    board.add_deal(DealFields(title="B", value="12k"), stage="Pitch")
    board.add_deal(DealFields(title="C", value="£100k"), stage="Pitch")
    pipeline = board.pipeline()
    columns = {c.stage.name: c for c in board_columns(pipeline, board.list_deals())}
    pitch = columns["Pitch"]
    assert [d.title for d in pitch.deals] == ["A", "B", "C"]
    assert pitch.totals_text() == "$60k + £100k"
    assert pitch.weighted_text() == "$24k + £40k"
    assert columns["Prospect"].totals_text() == "$0"
    assert [c.stage.name for c in board_columns(pipeline, [])][-2:] == ["Won", "Lost"]


def test_card_facts_follow_the_clock(board: Board, clock: FixedClock) -> None:
    deal_id = board.add_deal(
        DealFields(title="A", next_step="Call", next_step_due="2026-11-25"), stage="Prospect"
    )
    stage = board.pipeline().stages[0]
    clock.advance(days=10)
    (deal,) = board.list_deals()
    today = board.today()
    assert days_in_stage(deal, today) == 10
    assert next_step_overdue(deal, today)
    assert quiet_days(deal, stage, today) is None  # Prospect allows 14 days
    assert quiet_days(deal, stage, today + timedelta(days=20)) == 30
    assert checklist_progress(deal) == "0/3"
    board.set_check(deal_id, stage.criteria[0])
    assert checklist_progress(board.list_deals()[0]) == "1/3"
