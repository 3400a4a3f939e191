"""The `/` filter: words in title, account or contact; `@owner`; `#tag`."""

from __future__ import annotations

from dealboard.domain.badges import deal_badges
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.filters import DealFilter


def _matching(board: Board, query: str) -> list[str]:
    wanted = DealFilter.parse(query)
    return sorted(d.title for d in board.list_deals() if wanted.matches(d))


def test_words_owners_and_tags(board: Board) -> None:
    board.add_user("lena", "Lena Park")
    board.add_deal(DealFields(title="Clinic pilot", account="Northgate", add_tags=("q4",)))
    board.add_deal(DealFields(title="Fleet", contact="Ana Clinic", owner="lena"))
    board.add_deal(DealFields(title="Other", add_tags=("q4", "expansion")))
    assert _matching(board, "") == ["Clinic pilot", "Fleet", "Other"]
    assert _matching(board, "clinic") == ["Clinic pilot", "Fleet"]
    assert _matching(board, "CLINIC northgate") == ["Clinic pilot"]
    assert _matching(board, "@lena") == ["Fleet"]
    assert _matching(board, "@Lena") == ["Fleet"]
    assert _matching(board, "@maria @lena") == ["Clinic pilot", "Fleet", "Other"]
    assert _matching(board, "#q4") == ["Clinic pilot", "Other"]
    assert _matching(board, "#q4 #expansion") == ["Other"]
    assert _matching(board, "#nothing") == []
    assert DealFilter.parse("  ").is_empty and not DealFilter.parse("@x").is_empty


def test_badge_words_keep_only_cards_showing_that_badge(board: Board, clock) -> None:
    board.add_deal(DealFields(title="Quiet clinic"))
    clock.advance(days=30)
    board.add_deal(DealFields(title="Fresh clinic", next_step="Call", next_step_due="+1d"))
    wanted = DealFilter.parse("/quiet clinic")
    assert wanted.badges == ("quiet",) and wanted.words == ("clinic",)
    stages = {s.id: s for s in board.pipeline("seven-step").stages}
    now = board.now()
    matching = sorted(
        d.title
        for d in board.list_deals()
        if wanted.matches(d, frozenset(b.name for b in deal_badges(d, stages[d.stage_id], now)))
    )
    assert matching == ["Quiet clinic"]
    assert not wanted.matches(board.list_deals()[0])  # no badges passed: nothing is quiet
    assert DealFilter.parse("nostep").badges == ("nostep",)
    assert DealFilter.parse("quietly").words == ("quietly",)


def test_breach_keeps_the_deals_breaking_an_sla(board: Board, clock) -> None:
    untouched = board.add_deal(DealFields(title="Waiting"))
    called = board.add_deal(DealFields(title="Called"))
    board.add_activity(called, kind="call", subject="Hello", done=True)
    clock.advance(minutes=6)
    stages = {s.id: s for s in board.pipeline("seven-step").stages}
    wanted = DealFilter.parse("/breach")
    matching = [
        d.id
        for d in board.list_deals()
        if wanted.matches(
            d, frozenset(b.name for b in deal_badges(d, stages[d.stage_id], board.now()))
        )
    ]
    assert matching == [untouched]
