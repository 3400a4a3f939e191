"""The change feed tells a screen that someone else changed the board, and which deals."""

from __future__ import annotations

from clock import FixedClock
from dealboard.domain.board import Board
from dealboard.domain.changes import ChangeFeed
from dealboard.domain.deals import DealFields


def test_the_feed_reports_new_changes_once_with_their_deals(
    board: Board, clock: FixedClock
) -> None:
    first = board.add_deal(DealFields(title="Before"))
    feed = ChangeFeed(board)
    assert not feed.poll().any  # the starting point: earlier history is not news
    assert not feed.poll().any
    board.add_user("lena", "Lena")
    lena = Board(board.database, "lena", clock)
    second = lena.add_deal(DealFields(title="From Lena"))
    lena.add_objection(first, category="cost", text="Too dear")
    changes = feed.poll()
    assert changes.any and changes.by_others
    assert changes.deal_ids == {first, second}
    assert not feed.poll().any  # reported once
    board.edit_deal(first, DealFields(account="Acme"))
    mine = feed.poll()
    assert mine.any and not mine.by_others and mine.deal_ids == {first}


def test_a_change_between_start_and_first_poll_is_news(board: Board) -> None:
    feed = ChangeFeed(board)
    feed.start()
    deal = board.add_deal(DealFields(title="Meanwhile"))
    assert feed.poll().deal_ids == {deal}
