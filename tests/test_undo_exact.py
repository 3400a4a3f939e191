"""Undo is exact: a card comes back to its column's same spot, with its days in stage intact."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from clock import FixedClock
from dealboard.db.models import Deal, Stage, StageTransition
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from helpers import tick_all

DAY = timedelta(days=1)


def column(board: Board, stage: str) -> list[tuple[int, int, datetime]]:
    """The column as the board orders it: (deal, position, entered its stage)."""
    with board.database.read() as session:
        rows = session.execute(
            select(Deal.id, Deal.position, Deal.stage_entered_at)
            .join(Stage, Stage.id == Deal.stage_id)
            .where(Stage.name == stage)
            .order_by(Deal.position, Deal.id)
        ).all()
    return [(deal_id, position, entered) for deal_id, position, entered in rows]


def moves_of(board: Board, deal_id: int) -> list[tuple[int | None, int, datetime, int | None]]:
    with board.database.read() as session:
        rows = session.execute(
            select(
                StageTransition.from_stage_id,
                StageTransition.to_stage_id,
                StageTransition.at,
                StageTransition.stay_seconds,
            )
            .where(StageTransition.deal_id == deal_id)
            .order_by(StageTransition.id)
        ).all()
    return [tuple(r) for r in rows]  # type: ignore[misc]


def three_cards(board: Board, clock: FixedClock) -> list[int]:
    """Three Prospect cards entered on different days; the middle one is the one to move."""
    ids = []
    for title in ("Harbour cranes", "Fleet telematics", "Cold storage"):
        ids.append(board.add_deal(DealFields(title=title, value="1000", account="Northwind")))
        clock.advance(days=2)
    tick_all(board, ids[1], "Prospect")
    clock.advance(days=3)
    return ids


def test_undoing_a_move_restores_entry_time_spot_and_column_order(
    board: Board, clock: FixedClock
) -> None:
    ids = three_cards(board, clock)
    before = column(board, "Prospect")
    history = moves_of(board, ids[1])
    board.move(ids[1], "Qualify")
    moved = column(board, "Qualify")
    clock.advance(days=1)

    board.undo()
    assert column(board, "Prospect") == before
    assert moves_of(board, ids[1]) == history  # the undone stay is no stay

    clock.advance(days=1)
    board.redo()
    assert column(board, "Qualify") == moved
    assert column(board, "Prospect") == [before[0], before[2]]
    assert len(moves_of(board, ids[1])) == len(history) + 1


def test_a_redo_records_the_move_as_it_first_happened(board: Board, clock: FixedClock) -> None:
    ids = three_cards(board, clock)
    board.move(ids[1], "Qualify")
    first = moves_of(board, ids[1])
    clock.advance(days=2)
    board.undo()
    clock.advance(days=2)
    board.redo()
    assert moves_of(board, ids[1]) == first


def test_undoing_a_win_or_a_loss_puts_the_card_back_where_it_was(
    board: Board, clock: FixedClock
) -> None:
    ids = three_cards(board, clock)
    before = column(board, "Prospect")
    board.win(ids[1], override="signed early")
    clock.advance(days=1)
    board.undo()
    assert column(board, "Prospect") == before

    board.lose(ids[0], "price", "too dear")
    clock.advance(days=1)
    board.undo()
    assert column(board, "Prospect") == before
    won = column(board, "Won")
    assert won == []


def test_a_card_back_on_a_spot_taken_meanwhile_goes_just_after_the_card_on_it(
    board: Board, rep_board: Board, clock: FixedClock
) -> None:
    ids = three_cards(board, clock)
    board.move(ids[1], "Qualify")
    theirs = rep_board.add_deal(DealFields(title="Rick's own", value="10", account="Acme"))
    rep_board.reorder(theirs, before=ids[0])  # shifts the column: ids[0] now holds the spot
    board.undo()
    order = [deal_id for deal_id, *_ in column(board, "Prospect")]
    assert order == [theirs, ids[0], ids[1], ids[2]]


def test_time_in_stage_does_not_count_an_undone_stay(board: Board, clock: FixedClock) -> None:
    ids = three_cards(board, clock)
    board.move(ids[1], "Qualify")
    clock.advance(days=1)
    board.undo()
    clock.advance(days=1)
    board.move(ids[1], "Qualify")
    prospect, qualify, *_ = board.report("stages").stages
    assert prospect.finished.n == 1
    assert prospect.finished.median == timedelta(days=9)  # in Prospect since day 2, left on 11
    assert qualify.finished.n == 0
