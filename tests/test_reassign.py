"""Reassigning deals: managers only, all or nothing, written in each deal's history."""

from __future__ import annotations

import pytest

from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.errors import NotFound, RuleViolation
from helpers import row_counts
from test_cli import Cli, cli  # noqa: F401 - the fixture is used by name


def test_a_manager_reassigns_marked_deals_and_each_history_says_so(
    board: Board, rep_board: Board
) -> None:
    ids = [rep_board.add_deal(DealFields(title=f"Deal {n}")) for n in range(3)]
    assert board.reassign(ids[:2], "maria") == 2
    owners = {d.id: d.owner for d in board.list_deals()}
    assert owners == {ids[0]: "maria", ids[1]: "maria", ids[2]: "rick"}
    owner_rows = [
        a for a in board.deal(ids[0]).audit if a.field == "owner" and a.action == "update"
    ]
    assert [(a.user, a.old_value, a.new_value) for a in owner_rows] == [("maria", "rick", "maria")]
    assert board.reassign(ids, "maria") == 1  # the two already hers are left alone


def test_a_rep_may_not_reassign_and_an_unknown_owner_changes_nothing(
    board: Board, rep_board: Board
) -> None:
    deal_id = rep_board.add_deal(DealFields(title="Mine"))
    before = row_counts(board)
    with pytest.raises(RuleViolation, match="only a manager may reassign deals"):
        rep_board.reassign([deal_id], "maria")
    with pytest.raises(NotFound, match="owner"):
        board.reassign([deal_id], "nobody")
    assert row_counts(board) == before


def test_reassign_from_the_command_line(cli: Cli, board: Board) -> None:  # noqa: F811
    board.add_user("rick")
    for title, stage in (("A", "Prospect"), ("B", "Prospect"), ("C", "Qualify")):
        cli("deal", "add", "--title", title, "--owner", "rick", "--stage", stage)
    code, out, _ = cli("reassign", "--from", "rick", "--to", "maria", "--stage", "Prospect")
    assert code == 0 and out.splitlines()[-1] == "2 deals reassigned from rick to maria"
    code, out, _ = cli("reassign", "--from", "rick", "--to", "maria", "--dry-run")
    assert code == 0 and "1 deal would go" in out and "#3 C" in out
    code, _, err = cli("reassign", "--from", "rick", "--to", "maria", user="rick")
    assert code == 3 and "only a manager" in err
