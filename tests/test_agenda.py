"""The agenda: my activities and next steps on open deals, overdue first, closed deals left out."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from clock import FixedClock
from dealboard.domain.agenda import When
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.errors import RuleViolation
from test_cli import Cli, cli  # noqa: F401 - the fixture is used by name


def test_agenda_groups_my_due_work_by_day_and_leaves_out_others_and_closed_deals(
    board: Board, rep_board: Board, clock: FixedClock
) -> None:
    fleet = board.add_deal(DealFields(title="Fleet", next_step="Call CFO", next_step_due="-2d"))
    kiosks = board.add_deal(DealFields(title="Kiosks"))
    board.add_activity(kiosks, kind="meeting", subject="Demo", due="today")
    board.add_activity(kiosks, kind="call", subject="Follow up", due="+3d")
    board.add_activity(kiosks, kind="email", subject="Logged already", done=True)
    lost = board.add_deal(DealFields(title="Lost one", next_step="Ring", next_step_due="today"))
    board.lose(lost, "price")
    rep_board.add_deal(DealFields(title="Rick's", next_step="His", next_step_due="today"))

    items = board.agenda()
    assert [(i.when, i.deal_id, i.what) for i in items] == [
        (When.OVERDUE, fleet, "Call CFO"),
        (When.TODAY, kiosks, "Demo"),
        (When.UPCOMING, kiosks, "Follow up"),
    ]
    assert items[1].kind == "meeting" and items[1].activity_id is not None
    assert [i.deal_title for i in board.agenda("rick")] == ["Rick's"]
    clock.advance(days=3)
    assert [i.when for i in board.agenda()] == [When.OVERDUE, When.OVERDUE, When.TODAY]


def test_the_agenda_command_prints_groups_and_json(cli: Cli) -> None:  # noqa: F811
    code, out, _ = cli("agenda")
    assert code == 0 and out.startswith("nothing scheduled")
    cli("deal", "add", "--title", "Fleet")
    cli("deal", "edit", "1", "--next-step", "Call CFO", "--due", "yesterday")
    code, out, _ = cli("agenda")
    lines = out.splitlines()
    assert lines[0] == "Overdue (1)" and "#1 Fleet · Prospect — Call CFO" in lines[1]
    code, out, _ = cli("agenda", "--user", "maria", "--format", "json")
    assert json.loads(out)[0]["when"] == "overdue"
    code, _, err = cli("agenda", "--user", "nobody")
    assert code == 2 and err.startswith("dealboard: user:")


@contextmanager
def statements(board: Board) -> Iterator[list[str]]:
    """Every SQL statement the board sends while the block runs."""
    sent: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        sent.append(statement)

    event.listen(board.database.engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(board.database.engine, "before_cursor_execute", record)


def test_a_manager_reads_the_team_agenda_by_owner_then_urgency_and_a_rep_is_refused(
    board: Board, rep_board: Board
) -> None:
    board.add_deal(DealFields(title="Fleet", next_step="Call CFO", next_step_due="+2d"))
    ricks = rep_board.add_deal(
        DealFields(title="Rick's", next_step="Send quote", next_step_due="+1d")
    )
    board.add_activity(ricks, kind="call", subject="Maria rings for Rick", due="-1d")
    rep_board.add_deal(DealFields(title="Later", next_step="Demo", next_step_due="+5d"))
    lost = rep_board.add_deal(DealFields(title="Lost", next_step="Ring", next_step_due="today"))
    rep_board.lose(lost, "price")

    team = board.agenda(team=True)
    assert [(i.owner_display_name, i.when, i.what) for i in team] == [
        ("maria", When.UPCOMING, "Call CFO"),
        ("Rick Rep", When.OVERDUE, "Maria rings for Rick"),  # under the deal's owner, once
        ("Rick Rep", When.UPCOMING, "Send quote"),
        ("Rick Rep", When.UPCOMING, "Demo"),
    ]
    assert {i.owner for i in team} == {"maria", "rick"}
    assert [i.what for i in board.agenda()] == ["Maria rings for Rick", "Call CFO"]
    with pytest.raises(RuleViolation, match="only a manager may see the team agenda"):
        rep_board.agenda(team=True)


def test_the_team_agenda_is_two_queries_whatever_the_number_of_deals(
    board: Board, rep_board: Board
) -> None:
    def read_count() -> int:
        board.agenda(team=True)  # the acting user is looked up first, once
        with statements(board) as sent:
            board.agenda(team=True)
        return len(sent)

    rep_board.add_deal(DealFields(title="One", next_step="x", next_step_due="+1d"))
    few = read_count()
    for n in range(8):
        deal = rep_board.add_deal(DealFields(title=f"D{n}", next_step="y", next_step_due="+2d"))
        rep_board.add_activity(deal, kind="call", subject="z", due="+3d")
    assert read_count() == few
    assert len(board.agenda(team=True)) == 17


def test_the_team_agenda_command_groups_by_owner_and_refuses_reps(
    cli: Cli,  # noqa: F811
    board: Board,
    rep_board: Board,
    timed: FixedClock,
) -> None:
    board.add_deal(DealFields(title="Fleet", next_step="Call CFO", next_step_due="-1d"))
    rep_board.add_deal(DealFields(title="Kiosks", next_step="Demo", next_step_due="+1d"))
    code, out, _ = cli("agenda", "--team")
    assert code == 0
    assert out.splitlines() == [
        "maria (maria): 1 overdue, 0 today, 1 in all",
        "  Overdue (1)",
        out.splitlines()[2],
        "Rick Rep (rick): 0 overdue, 0 today, 1 in all",
        "  Upcoming (1)",
        out.splitlines()[5],
    ]
    assert "Fleet" in out.splitlines()[2] and "Kiosks" in out.splitlines()[5]
    code, out, _ = cli("agenda", "--team", "--format", "json")
    assert [(i["owner"], i["what"]) for i in json.loads(out)] == [
        ("maria", "Call CFO"),
        ("rick", "Demo"),
    ]
    code, out, err = cli("agenda", "--team", user="rick")
    assert (code, out) == (3, "")
    assert err == "dealboard: only a manager may see the team agenda; rick is a rep\n"
    code, _, err = cli("agenda", "--team", "--user", "rick")
    assert code == 2 and "not allowed with argument --team" in err
