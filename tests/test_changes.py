"""The change log tells a screen what changed since it last read, and who changed it."""

from __future__ import annotations

from clock import FixedClock
from dealboard.domain.board import Board
from dealboard.domain.changes import ChangeCursor, ChangeSet, changes_since, cursor_now
from dealboard.domain.deals import DealFields


def _since(board: Board, cursor: ChangeCursor) -> tuple[ChangeSet, ChangeCursor]:
    with board.database.read() as session:
        return changes_since(session, cursor, board.actor_name)


def _now(board: Board) -> ChangeCursor:
    with board.database.read() as session:
        return cursor_now(session)


def test_changes_are_reported_once_with_their_deals_and_who(
    board: Board, clock: FixedClock
) -> None:
    first = board.add_deal(DealFields(title="Before"))
    cursor = _now(board)
    changes, after = _since(board, cursor)
    assert not changes.any and after == cursor  # the starting point: earlier history is not news
    board.add_user("lena", "Lena", "manager")
    lena = Board(board.database, "lena", clock)
    second = lena.add_deal(DealFields(title="From Lena"))
    lena.add_objection(first, category="cost", text="Too dear")
    changes, cursor = _since(board, cursor)
    assert changes.everything  # a new user is a change beyond single deals
    assert changes.deal_ids == {first, second}
    assert changes.by_others == {first, second}
    again, cursor = _since(board, cursor)
    assert not again.any  # reported once
    board.edit_deal(first, DealFields(account="Acme"))
    mine, _ = _since(board, cursor)
    assert mine.deal_ids == {first} and not mine.by_others and not mine.everything


def test_a_move_names_the_stage_the_deal_left(board: Board) -> None:
    deal = board.add_deal(DealFields(title="Mover"))
    cursor = _now(board)
    board.move(deal, "Qualify", override="test")
    changes, _ = _since(board, cursor)
    assert changes.deal_ids == {deal}
    assert changes.left_stages == {"Prospect"}


def test_a_change_committed_out_of_id_order_is_still_news(board: Board) -> None:
    """PostgreSQL can commit a lower id after a higher one: the cursor looks back for it."""
    cursor = _now(board)
    deal = board.add_deal(DealFields(title="Meanwhile"))
    changes, after = _since(board, cursor)
    assert changes.deal_ids == {deal}
    late = ChangeCursor(after.high + 5, after.seen - {after.high})  # as if one id was not seen
    changes, _ = _since(board, late)
    assert changes.deal_ids == {deal}
