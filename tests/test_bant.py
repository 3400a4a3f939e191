"""BANT answers on a deal, and the Qualify criteria that only a `yes` can tick."""

from __future__ import annotations

import pytest

from dealboard.domain.bant import mark
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.errors import InvalidInput, RuleViolation
from dealboard.domain.pipeline_spec import parse_pipeline_toml
from dealboard.vocabulary import BantItem, BantState

QUALIFIED = """
name = "qualified"
title = "Qualified"
[[stages]]
name = "Qualify"
kind = "open"
probability = 10
criteria = [{ text = "Budget confirmed", bant = "budget" }, "Need stated"]
[[stages]]
name = "Pitch"
kind = "open"
probability = 40
[[stages]]
name = "Won"
kind = "won"
[[stages]]
name = "Lost"
kind = "lost"
"""


@pytest.fixture
def deal_id(board: Board) -> int:
    board.import_pipeline(parse_pipeline_toml(QUALIFIED))
    return board.add_deal(DealFields(title="Fleet"), pipeline="qualified")


def checked(board: Board, deal_id: int) -> dict[str, bool]:
    return {i.text: i.checked for i in board.deal(deal_id).checklist}


def test_answering_yes_ticks_the_tied_criterion_and_anything_else_unticks_it(
    board: Board, deal_id: int
) -> None:
    board.set_bant(deal_id, "budget", "partial", "Waiting on the CFO")
    assert checked(board, deal_id)["Budget confirmed"] is False
    board.set_bant(deal_id, "Budget", "yes")
    assert checked(board, deal_id)["Budget confirmed"] is True
    detail = board.deal(deal_id)
    budget = detail.bant[0]
    assert (budget.item, budget.state, budget.note) == (
        BantItem.BUDGET,
        BantState.YES,
        "Waiting on the CFO",
    )
    assert [b.state for b in detail.bant[1:]] == [BantState.UNKNOWN] * 3
    assert detail.summary.bant == ((BantItem.BUDGET, BantState.YES),)
    board.set_bant(deal_id, "budget", "no")
    assert checked(board, deal_id)["Budget confirmed"] is False


def test_the_gate_needs_the_bant_answer_and_a_hand_tick_answers_it(
    board: Board, deal_id: int
) -> None:
    board.set_check(deal_id, "Need stated")
    with pytest.raises(RuleViolation, match="Budget confirmed"):
        board.move(deal_id, "Pitch")
    board.set_check(deal_id, "Budget confirmed")  # a tick by hand is a yes
    assert board.deal(deal_id).bant[0].state is BantState.YES
    board.set_check(deal_id, "Budget confirmed", checked=False)
    assert board.deal(deal_id).bant[0].state is BantState.PARTIAL
    board.set_bant(deal_id, "budget", "yes")
    assert board.move(deal_id, "Pitch").moved


def test_bant_changes_are_in_the_history_and_can_be_undone(board: Board, deal_id: int) -> None:
    board.set_bant(deal_id, "authority", "yes", "Dana signs")
    fields = [a.field for a in board.deal(deal_id).audit]
    assert "BANT authority" in fields and "BANT authority note" in fields
    board.undo()
    authority = board.deal(deal_id).bant[1]
    assert (authority.state, authority.note) == (BantState.UNKNOWN, "")


def test_bad_bant_input_names_the_field(board: Board, deal_id: int) -> None:
    with pytest.raises(InvalidInput, match="BANT item: 'money'"):
        board.set_bant(deal_id, "money", "yes")
    with pytest.raises(InvalidInput, match="BANT state: 'maybe'"):
        board.set_bant(deal_id, "budget", "maybe")


def test_the_card_mark_reads_without_colour() -> None:
    assert mark(()) == "····"
    answers = (
        (BantItem.BUDGET, BantState.YES),
        (BantItem.AUTHORITY, BantState.PARTIAL),
        (BantItem.TIMING, BantState.NO),
    )
    assert mark(answers) == "Ba·-"


def test_bant_from_the_command_line(board: Board, deal_id: int, db_url, capsys) -> None:  # type: ignore[no-untyped-def]
    from dealboard.cli.main import main

    url = db_url.render_as_string(hide_password=False)
    assert main(["--db", url, "--as", "maria", "bant", str(deal_id), "need", "yes"]) == 0
    assert capsys.readouterr().out == f"deal {deal_id}: need is yes\n"
    assert main(["--db", url, "--as", "maria", "deal", "show", str(deal_id)]) == 0
    assert "  need       yes\n" in capsys.readouterr().out
    assert main(["--db", url, "bant", str(deal_id), "need", "perhaps"]) == 2
    assert capsys.readouterr().err.startswith("dealboard: BANT state: 'perhaps'")
