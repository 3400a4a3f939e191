"""A rep works their own deals; a manager works every deal and sets the board up."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.errors import RuleViolation
from dealboard.domain.pipeline_spec import parse_pipeline_toml
from dealboard.domain.research import ResearchFields
from helpers import row_counts
from test_pipelines import MINIMAL


def _changes(
    deal_id: int, objection_id: int, person_id: int, touch_id: int
) -> dict[str, Callable[[Board], object]]:
    """Every way to change a deal or one of its parts, by name."""
    return {
        "edit": lambda b: b.edit_deal(deal_id, DealFields(title="Taken over")),
        "move": lambda b: b.move(deal_id, "Qualify", override="testing"),
        "reorder": lambda b: b.reorder(deal_id, 0),
        "win": lambda b: b.win(deal_id, override="testing"),
        "lose": lambda b: b.lose(deal_id, "price"),
        "tick": lambda b: b.set_check(deal_id, "1"),
        "bant": lambda b: b.set_bant(deal_id, "need", "yes"),
        "objection": lambda b: b.add_objection(deal_id, category="cost", text="Too dear"),
        "edit objection": lambda b: b.edit_objection(objection_id, text="Far too dear"),
        "research": lambda b: b.save_research(deal_id, ResearchFields(pain_points="Queues")),
        "stakeholder": lambda b: b.add_stakeholder(deal_id, name="Dana"),
        "edit stakeholder": lambda b: b.edit_stakeholder(person_id, role="CFO"),
        "touch": lambda b: b.add_activity(deal_id, kind="call", subject="Hi", done=True),
        "complete touch": lambda b: b.complete_activity(touch_id, "spoke"),
    }


@pytest.fixture
def marias_deal(board: Board) -> tuple[int, int, int, int]:
    """A manager's deal with an objection, a stakeholder and a scheduled touch."""
    deal_id = board.add_deal(DealFields(title="Maria's fleet", value="48000"))
    objection_id = board.add_objection(deal_id, category="cost", text="Dear")
    person_id = board.add_stakeholder(deal_id, name="Dana")
    touch_id = board.add_activity(deal_id, kind="call", subject="Call", due="tomorrow")
    return deal_id, objection_id, person_id, touch_id


@pytest.mark.parametrize(
    "change",
    [
        "edit",
        "move",
        "reorder",
        "win",
        "lose",
        "tick",
        "bant",
        "objection",
        "edit objection",
        "research",
        "stakeholder",
        "edit stakeholder",
        "touch",
        "complete touch",
    ],
)
def test_a_rep_cannot_change_someone_elses_deal(
    board: Board, rep_board: Board, marias_deal: tuple[int, int, int, int], change: str
) -> None:
    before = row_counts(board)
    with pytest.raises(RuleViolation) as refused:
        _changes(*marias_deal)[change](rep_board)
    assert str(refused.value).endswith(
        f"deal {marias_deal[0]}: it is maria's, and a rep changes only their own deals "
        "(ask its owner or a manager)"
    )
    assert row_counts(board) == before


def test_a_rep_cannot_reopen_someone_elses_lost_deal(board: Board, rep_board: Board) -> None:
    deal_id = board.add_deal(DealFields(title="Gone"))
    board.lose(deal_id, "price")
    with pytest.raises(RuleViolation, match=f"cannot reopen deal {deal_id}: it is maria's"):
        rep_board.reopen(deal_id)


def test_a_rep_works_their_own_deal_and_a_manager_works_it_too(
    board: Board, rep_board: Board
) -> None:
    deal_id = rep_board.add_deal(DealFields(title="Rick's kiosks"))
    objection_id = rep_board.add_objection(deal_id, category="cost", text="Dear")
    person_id = rep_board.add_stakeholder(deal_id, name="Dana")
    touch_id = rep_board.add_activity(deal_id, kind="call", subject="Call", due="tomorrow")
    changes = _changes(deal_id, objection_id, person_id, touch_id)
    for name, change in changes.items():
        if name not in ("move", "win", "lose"):  # no override for a rep; losing comes last
            change(rep_board)
    rep_board.lose(deal_id, "price")
    rep_board.reopen(deal_id, "Prospect")
    board.edit_deal(deal_id, DealFields(next_step="Manager's note"))
    board.lose(deal_id, "timing")
    assert board.deal(deal_id).summary.status == "lost"


def test_undo_cannot_reach_a_deal_that_is_no_longer_yours(board: Board, rep_board: Board) -> None:
    deal_id = rep_board.add_deal(DealFields(title="Handed over"))
    rep_board.edit_deal(deal_id, DealFields(account="Northwind"))
    board.reassign([deal_id], "maria")
    with pytest.raises(RuleViolation, match=f"cannot undo your change to deal {deal_id}"):
        rep_board.undo()
    assert board.deal(deal_id).summary.account == "Northwind"


def test_setting_the_board_up_is_for_managers(board: Board, rep_board: Board) -> None:
    before = row_counts(board)
    refusals = {
        "pipeline": lambda: rep_board.import_pipeline(parse_pipeline_toml(MINIMAL)),
        "template": lambda: rep_board.add_template("social"),
        "teammate": lambda: rep_board.add_user("tina", "Tina"),
        "role": lambda: rep_board.set_role("rick", "manager"),
        "reassign": lambda: rep_board.reassign([board.add_deal(DealFields(title="x"))], "rick"),
    }
    for what, attempt in refusals.items():
        with pytest.raises(RuleViolation, match="only a manager may"):
            attempt()
        assert what  # named for the failure report
    assert len(board.pipelines()) == 1 and [u.name for u in board.users()] == ["maria", "rick"]
    assert row_counts(board)["deals"] == before["deals"] + 1  # the one maria added above
    assert board.import_pipeline(parse_pipeline_toml(MINIMAL)) is True
