"""The agenda: my activities and next steps on open deals, overdue first, closed deals left out."""

from __future__ import annotations

import json

from clock import FixedClock
from dealboard.domain.agenda import When
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
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
