"""`dealboard log` and the history behind it: every change, filtered by time, person and deal."""

from __future__ import annotations

import json
from datetime import date, datetime, time

import pytest

from clock import FixedClock
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.errors import InvalidInput
from dealboard.domain.history import parse_since
from test_cli import Cli, cli  # noqa: F401 - the fixture is used by name


def test_log_filters_by_time_person_and_deal_oldest_first(
    board: Board, rep_board: Board, clock: FixedClock
) -> None:
    first = board.add_deal(DealFields(title="Fleet"))
    clock.advance(hours=30)
    second = rep_board.add_deal(DealFields(title="Kiosks"))
    rep_board.edit_deal(second, DealFields(value="5000"))
    clock.advance(minutes=10)
    board.edit_deal(first, DealFields(account="Northwind"))

    recent = board.log(since="24h")
    assert {e.deal_id for e in recent} == {first, second}
    assert [e.at for e in recent] == sorted(e.at for e in recent)
    assert [(e.field, e.new_value) for e in board.log(since="24h", user="maria")] == [
        ("account", "Northwind")
    ]
    kiosks = board.log(deal=second)
    assert kiosks[-1].field == "value" and kiosks[-1].old_value == "USD 0.00"
    assert kiosks[-1].new_value == "USD 5,000.00" and kiosks[-1].user == "rick"
    assert len(board.log(limit=2)) == 2
    clock.advance(minutes=2)
    assert board.log(since="1m") == []


def test_a_bad_since_names_the_field_and_what_is_accepted(board: Board) -> None:
    with pytest.raises(InvalidInput, match="since: 'last tuesday' is not accepted; give a dur"):
        board.log(since="last tuesday")


def test_log_prints_one_line_per_change_and_json_for_scripts(cli: Cli) -> None:  # noqa: F811
    cli("deal", "add", "--title", "Fleet [red]rollout[/]")
    cli("deal", "edit", "1", "--next-step", "Call the CFO")
    code, out, _ = cli("log", "--deal", "1")
    assert code == 0
    last = out.splitlines()[-1]
    assert "maria" in last and "deal 1 Fleet [red]rollout[/] · next step: — → Call" in last
    code, out, _ = cli("log", "--deal", "1", "--format", "json")
    entries = json.loads(out)
    assert entries[-1]["field"] == "next_step" and entries[-1]["kind"] == "do"
    assert set(entries[-1]) == {
        "at", "user", "kind", "action", "entity", "entity_id", "deal_id", "deal_title",
        "field", "old", "new",
    }  # fmt: skip
    code, _, err = cli("log", "--since", "soon")
    assert code == 2 and err.startswith("dealboard: since:") and err.count("\n") == 1


def test_undo_and_redo_from_the_command_line(cli: Cli) -> None:  # noqa: F811
    cli("deal", "add", "--title", "Fleet")
    cli("deal", "edit", "1", "--title", "Fleet rollout")
    code, out, _ = cli("undo")
    assert code == 0 and out.startswith("undid on deal 1") and "Fleet rollout → Fleet" in out
    code, out, _ = cli("redo")
    assert code == 0 and out.startswith("redid on deal 1")
    code, _, err = cli("undo", user="rick")
    assert code == 3 and "nothing to undo" in err
    cli("user", "add", "rick", "--role", "manager")  # a manager may change maria's deal
    cli("deal", "edit", "1", "--account", "Northwind", user="rick")
    code, _, err = cli("undo")
    assert code == 3 and "changed deal 1" in err and "nothing was changed" in err
    _, out, _ = cli("log", "--deal", "1", "--format", "json")
    assert [e["kind"] for e in json.loads(out)].count("undo") == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [("fri", date(2026, 11, 20)), ("thu", date(2026, 11, 19)), ("sat", date(2026, 11, 14))],
)
def test_a_weekday_in_since_looks_back_to_the_latest_one(text: str, expected: date) -> None:
    friday = datetime(2026, 11, 20, 15, 0).astimezone()  # a Friday afternoon, here
    since = parse_since(text, friday)
    assert since.date() == expected and since.timetz().replace(tzinfo=None) == time.min
