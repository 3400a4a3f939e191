"""The `/` filter: words in title, account or contact; `@owner`; `#tag`."""

from __future__ import annotations

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
