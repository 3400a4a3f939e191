"""A rep's order of cards in a column is kept, and moves can land a card in a chosen slot."""

from __future__ import annotations

import pytest

from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.errors import NotFound, RuleViolation
from helpers import row_counts, tick_all


def _titles(board: Board, stage: str = "Prospect") -> list[str]:
    return [d.title for d in board.list_deals(stage=stage)]


@pytest.fixture
def column(board: Board) -> dict[str, int]:
    return {t: board.add_deal(DealFields(title=t)) for t in ("A", "B", "C", "D")}


def test_reorder_to_top_middle_and_bottom(board: Board, column: dict[str, int]) -> None:
    board.reorder(column["C"], 0)
    assert _titles(board) == ["C", "A", "B", "D"]
    board.reorder(column["C"], 2)
    assert _titles(board) == ["A", "B", "C", "D"]
    board.reorder(column["A"], 99)  # clamped to the end
    assert _titles(board) == ["B", "C", "D", "A"]
    board.reorder(column["A"], -5)  # clamped to the top
    assert _titles(board) == ["A", "B", "C", "D"]


def test_reorder_leaves_other_columns_alone_and_is_audited(
    board: Board, column: dict[str, int]
) -> None:
    other = board.add_deal(DealFields(title="Elsewhere"), stage="Pitch")
    before = board.list_deals(stage="Pitch")[0].position
    board.reorder(column["D"], 0)
    assert board.list_deals(stage="Pitch")[0].position == before
    audit = board.deal(column["D"]).audit
    assert any(a.action == "reorder" and a.field == "position" for a in audit)
    assert other


def test_an_unchanged_place_writes_nothing(board: Board, column: dict[str, int]) -> None:
    counts = row_counts(board)
    board.reorder(column["A"], 0)
    assert row_counts(board) == counts


def test_reorder_of_a_closed_or_missing_deal_is_refused(
    board: Board, column: dict[str, int]
) -> None:
    board.lose(column["A"], "price")
    with pytest.raises(RuleViolation):
        board.reorder(column["A"], 0)
    with pytest.raises(NotFound):
        board.reorder(999, 0)


def test_move_with_a_position_lands_in_that_slot(board: Board, column: dict[str, int]) -> None:
    for title in ("Q1", "Q2"):
        board.add_deal(DealFields(title=title), stage="Qualify")
    tick_all(board, column["B"], "Prospect")
    board.move(column["B"], "Qualify", position=1)
    assert _titles(board, "Qualify") == ["Q1", "B", "Q2"]
    board.move(column["B"], "Prospect", position=0)
    assert _titles(board) == ["B", "A", "C", "D"]


def test_a_move_into_its_own_column_with_a_spot_reorders(
    board: Board, column: dict[str, int]
) -> None:
    result = board.move(column["D"], "Prospect", before=column["B"])
    assert not result.moved
    assert _titles(board) == ["A", "D", "B", "C"]
