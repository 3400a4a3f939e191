"""The nurture list: customers untouched for longer than their pipeline's `nurture_days`."""

from __future__ import annotations

import json

from sqlalchemy import update

from clock import FixedClock
from dealboard.db.models import Pipeline
from dealboard.domain.agenda import When
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.nurture import due_for_nurture
from dealboard.domain.standup_text import standup_plain
from dealboard.ui.standup.pages import build_pages
from test_agenda import statements
from test_cli import Cli, cli  # noqa: F401 - the fixture is used by name


def _won(board: Board, title: str, account: str, **where: str) -> int:
    deal = board.add_deal(DealFields(title=title, value="10k", account=account), **where)
    board.win(deal, override="signed")
    return deal


def _nurture(board: Board, *, owner: int | None = None, pipeline: int | None = None):
    with board.database.read() as session:
        return due_for_nurture(session, board.today(), owner_id=owner, pipeline_id=pipeline)


def test_a_customer_is_due_once_longer_than_nurture_days_passed_since_the_last_touch(
    board: Board, clock: FixedClock
) -> None:
    acme = _won(board, "Fleet", "Acme Corp")
    _won(board, "Kiosks", "Globex")
    board.add_deal(DealFields(title="Still open", account="Initech"))
    clock.advance(days=90)
    assert _nurture(board) == ()  # 90 days: not yet longer than 90
    clock.advance(days=1)
    due = _nurture(board)
    assert [(d.account, d.days, d.touched, d.deal_id) for d in due] == [
        ("Acme Corp", 91, False, acme),
        ("Globex", 91, False, acme + 1),
    ]
    board.add_activity(acme, kind="note", subject="A note is not a touch", done=True)
    assert len(_nurture(board)) == 2
    board.add_activity(acme, kind="call", subject="How is it going?", done=True)
    assert [d.account for d in _nurture(board)] == ["Globex"]
    clock.advance(days=120)
    due = _nurture(board)
    assert [(d.account, d.days, d.touched) for d in due] == [
        ("Globex", 211, False),  # most overdue first
        ("Acme Corp", 120, True),
    ]
    assert due[1].what == "Untouched 120 days (every 90)"


def test_a_touch_on_any_deal_of_the_account_counts_and_the_smallest_nurture_days_wins(
    board: Board, clock: FixedClock
) -> None:
    board.add_template("social")  # nurture_days = 60
    _won(board, "Fleet", "Acme Corp")
    _won(board, "Ads", "acme corp", pipeline="social")
    clock.advance(days=61)
    assert [(d.account, d.nurture_days) for d in _nurture(board)] == [("Acme Corp", 60)]
    open_deal = board.add_deal(DealFields(title="Renewal", account="ACME CORP"))
    board.add_activity(open_deal, kind="email", subject="Renewal terms", done=True)
    assert _nurture(board) == ()
    with board.database.write() as session:
        session.execute(update(Pipeline).values(nurture_days=None))
    clock.advance(days=400)
    assert _nurture(board) == ()  # no pipeline asks for nurturing: nobody is due


def test_the_rep_sees_their_own_customers_the_team_agenda_everyone_and_queries_stay_few(
    board: Board, rep_board: Board, clock: FixedClock
) -> None:
    _won(board, "Fleet", "Acme Corp")
    ricks = rep_board.add_deal(DealFields(title="Pilot", value="5k", account="Globex"))
    board.win(ricks, override="signed")
    clock.advance(days=100)
    rick = next(u for u in board.users() if u.name == "rick")
    assert [d.account for d in _nurture(board, owner=rick.id)] == ["Globex"]
    mine = [i for i in rep_board.agenda() if i.when is When.NURTURE]
    assert [(i.account, i.deal_id, i.kind) for i in mine] == [("Globex", ricks, "nurture")]
    team = [i for i in board.agenda(team=True) if i.when is When.NURTURE]
    assert [(i.owner, i.account) for i in team] == [("maria", "Acme Corp"), ("rick", "Globex")]
    assert all(i.key < 0 for i in team)
    with statements(board) as sent:
        _nurture(board)
    few = len(sent)
    for number in range(10):
        _won(board, f"More {number}", f"Customer {number}")
    clock.advance(days=100)
    with statements(board) as sent:
        assert len(_nurture(board)) == 12
    assert len(sent) == few


def test_the_stand_up_and_the_agenda_command_name_customers_due_a_touch(
    board: Board,
    cli: Cli,  # noqa: F811
    timed: FixedClock,
) -> None:
    _won(board, "Fleet", "Acme Corp")
    timed.advance(days=95)
    standup = board.standup()
    assert [d.account for d in standup.nurture] == ["Acme Corp"]
    text = standup_plain(standup)
    assert "Customers due a touch: 1" in text
    assert "Acme Corp: Won 95 days ago, untouched since (every 90)" in text
    pages = build_pages(standup, width=80, height=24, styles={})
    assert ("nurture", "0") in [p.key for p in pages]
    code, out, _ = cli("agenda")
    assert code == 0 and "Nurture: customers due a touch (1)" in out
    assert "Acme Corp: Won 95 days ago" in out
    code, out, _ = cli("agenda", "--format", "json")
    item = json.loads(out)[-1]
    assert (item["when"], item["kind"], item["account"]) == ("nurture", "nurture", "Acme Corp")
    assert item["account_id"] is not None
