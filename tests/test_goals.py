"""Monthly goals: managers set, replace and clear them; the month's won deals count against them.

The clock stands at 2026-11-20 15:00 UTC unless a test moves it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from clock import FixedClock
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.errors import InvalidInput, NotFound, RuleViolation
from dealboard.domain.money import Money
from dealboard.ui.reports.people_views import owners_blocks
from test_cli import Cli, cli  # noqa: F401 - the fixture is used by name


def won_at(board: Board, clock: FixedClock, when: datetime, value: str, owner: str) -> int:
    """A deal of `owner` won at `when` (an aware instant); the clock is put back."""
    before = clock.now
    clock.now = when.astimezone(UTC)
    deal_id = board.add_deal(DealFields(title=f"Won {when:%m-%d %H:%M}", value=value, owner=owner))
    board.win(deal_id, override="test")
    clock.now = before
    return deal_id


def test_a_manager_sets_replaces_and_clears_a_goal_and_the_log_says_who(
    board: Board, rep_board: Board
) -> None:
    goal = board.set_goal("Rick Rep", "50k")  # display name; this month by default
    assert (goal.owner, goal.month, goal.amount) == ("rick", "2026-11", Money(5_000_000, "USD"))
    board.set_goal("rick", "60,000")
    board.set_goal("team", "$200k", "2026-11")
    found = board.month_goals()
    assert [(a.goal.owner, a.goal.amount.minor) for a in found.owners] == [("rick", 6_000_000)]
    assert found.team_goal() is not None and found.team_goal().goal.amount.minor == 20_000_000
    lines = [(e.user, e.entity, e.field, e.old_value, e.new_value) for e in board.log()]
    assert ("maria", "goal", "amount", "USD 50,000.00", "USD 60,000.00") in lines
    assert ("maria", "goal", "owner", None, "team") in lines
    assert board.clear_goal("rick") == 1
    assert board.month_goals().owners == ()
    assert board.log()[-1].field == "amount" and board.log()[-1].new_value is None
    with pytest.raises(NotFound, match="no goal"):
        board.clear_goal("rick")


def test_one_goal_per_owner_month_and_currency(board: Board) -> None:
    board.set_goal("maria", "10k")
    board.set_goal("maria", "EUR 8k")
    board.set_goal("maria", "12k")
    board.set_goal("maria", "5k", "2026-12")
    november = board.month_goals("2026-11")
    assert sorted(a.goal.amount for a in november.owners) == [
        Money(800_000, "EUR"),
        Money(1_200_000, "USD"),
    ]
    assert board.month_goals("2026-12").of("maria").goal.amount == Money(500_000, "USD")
    # the stand-up of a euro pipeline means euros by an amount typed without a currency
    assert board.set_goal("team", "7k", currency="EUR").amount == Money(700_000, "EUR")
    assert board.clear_goal("maria", "2026-11") == 2
    assert board.clear_goal("team") == 1


def test_reps_cannot_set_or_clear_goals(board: Board, rep_board: Board) -> None:
    board.set_goal("rick", "50k")
    with pytest.raises(RuleViolation, match="only a manager may set goals"):
        rep_board.set_goal("rick", "500k")
    with pytest.raises(RuleViolation, match="only a manager may clear goals"):
        rep_board.clear_goal("rick")
    assert rep_board.month_goals().of("rick").goal.amount.minor == 5_000_000  # reps may read


@pytest.mark.parametrize(
    ("owner", "amount", "month", "field"),
    [
        ("maria", "50k", "2026-13", "month"),
        ("maria", "50k", "11/2026", "month"),
        ("maria", "50k", "2026-1", "month"),
        ("maria", "50k", "9999-12", "month"),  # no month after it to end the window
        ("maria", "50k", "0000-05", "month"),
        ("maria", "fifty", None, "amount"),
        ("maria", "0", None, "amount"),
        ("nobody", "50k", None, "owner"),
        ("", "50k", None, "owner"),
    ],
)
def test_bad_input_is_refused_in_one_line_naming_the_field(
    board: Board, owner: str, amount: str, month: str | None, field: str
) -> None:
    with pytest.raises((InvalidInput, NotFound)) as refused:
        board.set_goal(owner, amount, month)
    message = str(refused.value)
    assert message.startswith(f"{field}: ") and "\n" not in message
    assert board.month_goals(month if field != "month" else None).owners == ()


def test_attainment_counts_the_months_won_deals_of_every_pipeline(
    board: Board, rep_board: Board, clock: FixedClock
) -> None:
    utc = ZoneInfo("UTC")
    board.set_goal("rick", "10k")
    board.set_goal("team", "20k")
    won_at(board, clock, datetime(2026, 11, 3, tzinfo=utc), "$4k", "rick")
    won_at(board, clock, datetime(2026, 11, 19, tzinfo=utc), "$2k", "rick")
    won_at(board, clock, datetime(2026, 11, 10, tzinfo=utc), "$5k", "maria")
    won_at(board, clock, datetime(2026, 10, 31, tzinfo=utc), "$9k", "rick")  # last month
    won_at(board, clock, datetime(2026, 11, 12, tzinfo=utc), "EUR 9k", "rick")  # not dollars
    reopened = won_at(board, clock, datetime(2026, 11, 13, tzinfo=utc), "$1k", "rick")
    board.reopen(reopened)  # no longer won: no longer counted
    board.add_template("traditional")
    other = board.add_deal(
        DealFields(title="Other", value="$1k", owner="rick"), pipeline="traditional"
    )
    board.win(other, override="test")
    goals = board.month_goals()
    rick = goals.of("rick")
    assert (rick.won_minor, rick.won_deals) == (700_000, 3)
    assert rick.percent == pytest.approx(70.0) and rick.remaining_minor == 300_000
    team = goals.team_goal()
    assert (team.won_minor, team.won_deals) == (1_200_000, 4)
    assert team.percent == pytest.approx(60.0)
    board.set_goal("rick", "5k")
    beaten = board.month_goals().of("rick")
    assert beaten.percent == pytest.approx(140.0) and beaten.remaining_minor == 0


@pytest.mark.parametrize("zone_name", ["America/Los_Angeles", "Asia/Kolkata"])
def test_the_month_is_the_users_calendar_month(
    board: Board, clock: FixedClock, zone: Callable[[str], None], zone_name: str
) -> None:
    zone(zone_name)
    local = ZoneInfo(zone_name)
    board.set_goal("maria", "10k", "2026-11")
    board.set_goal("maria", "10k", "2026-12")
    won_at(board, clock, datetime(2026, 10, 31, 23, 30, tzinfo=local), "$1k", "maria")
    won_at(board, clock, datetime(2026, 11, 1, 0, 30, tzinfo=local), "$2k", "maria")
    won_at(board, clock, datetime(2026, 11, 30, 23, 30, tzinfo=local), "$3k", "maria")
    won_at(board, clock, datetime(2026, 12, 1, 0, 10, tzinfo=local), "$4k", "maria")
    assert board.month_goals("2026-11").of("maria").won_minor == 500_000
    assert board.month_goals("2026-12").of("maria").won_minor == 400_000
    # "this month" is the user's: 2026-12-01 03:00 UTC is still November in Los Angeles
    clock.now = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    expected = "2026-11" if zone_name == "America/Los_Angeles" else "2026-12"
    assert board.set_goal("maria", "1k").month == expected


def test_goal_commands(cli: Cli, timed: FixedClock) -> None:  # noqa: F811
    code, out, err = cli("goal", "set", "maria", "50k", "--month", "2026-11")
    assert (code, err) == (0, "")
    assert out == "goal for maria in November 2026: USD 50,000.00\n"
    assert cli("goal", "set", "team", "EUR 90k")[0] == 0
    code, out, _ = cli("goal", "list", "--format", "json")
    listed = json.loads(out)
    assert listed["month"] == "2026-11"
    assert [(g["owner"], g["currency"], g["goal_minor"]) for g in listed["goals"]] == [
        ("maria", "USD", 5_000_000),
        (None, "EUR", 9_000_000),
    ]
    assert set(listed["goals"][0]) == {
        "owner",
        "display_name",
        "currency",
        "goal_minor",
        "won_minor",
        "won_deals",
        "attainment",
        "remaining_minor",
        "set_by",
        "set_at",
    }
    code, out, _ = cli("goal", "list")
    assert code == 0 and "Goals for November 2026" in out and "€90k" in out
    code, out, err = cli("goal", "set", "maria", "50k", "--month", "Nov")
    assert code == 2 and out == "" and err.count("\n") == 1 and "month" in err
    assert cli("user", "add", "rick")[0] == 0
    code, _, err = cli("goal", "set", "rick", "1M", user="rick")
    assert code == 3 and "only a manager may set goals" in err
    code, out, _ = cli("goal", "clear", "team")
    assert code == 0 and "cleared" in out
    code, out, _ = cli("goal", "list", "--month", "2026-10")
    assert "no goals set" in out


def test_owners_report_shows_the_months_goal_and_attainment(
    board: Board,
    rep_board: Board,
    timed: FixedClock,
    cli: Cli,  # noqa: F811
) -> None:
    clock = timed
    utc = ZoneInfo("UTC")
    board.add_user("sam", "Sam Quiet")
    board.set_goal("rick", "10k")
    board.set_goal("sam", "5k")  # nothing closed, nothing touched: listed for the goal
    board.set_goal("team", "20k")
    board.set_goal("rick", "1k", "2026-10")
    won_at(board, clock, datetime(2026, 11, 3, tzinfo=utc), "$4k", "rick")
    won_at(board, clock, datetime(2026, 10, 3, tzinfo=utc), "$3k", "rick")
    won_at(board, clock, datetime(2026, 10, 5, tzinfo=utc), "$1k", "maria")  # no goal
    report = board.report("owners")
    assert report.goal_month == "2026-11"
    rick = next(r for r in report.owners if r.owner == "rick")
    assert rick.goal is not None and rick.goal.percent == pytest.approx(40.0)
    assert rick.won == 2  # the window is all time; the goal is November's
    assert next(r for r in report.owners if r.owner == "sam").goal.won_minor == 0
    assert report.team.goal.won_minor == 400_000
    blocks = owners_blocks(report)  # the Reports tab's Owners view
    heading = next(i for i, b in enumerate(blocks) if getattr(b, "text", "").startswith("Goals"))
    assert blocks[heading].text == "Goals for November 2026"
    bars = {bar.label: bar for bar in blocks[heading + 1].bars}
    assert bars["Rick Rep"].figures == ("40%", "$10k", "$4k", "$6k")
    assert bars["Rick Rep"].value == pytest.approx(40.0) and bars["Team"].strong

    code, out, _ = cli("report", "owners", "--format", "json")
    rows = {row["owner"]: row for row in json.loads(out)["owners"]}
    assert code == 0
    assert rows["rick"]["goal_month"] == "2026-11"
    assert (rows["rick"]["goal_minor"], rows["rick"]["attainment"]) == (1_000_000, 40.0)
    assert rows["rick"]["remaining_minor"] == 600_000
    assert rows["maria"]["goal_minor"] is None and rows["maria"]["attainment"] is None
    team = json.loads(out)["team"]
    assert (team["goal_minor"], team["goal_month_won_minor"], team["attainment"]) == (
        2_000_000,
        400_000,
        20.0,
    )
    # a window ending in October is held against October's goals
    code, out, _ = cli("report", "owners", "--until", "2026-10-31", "--format", "json")
    october = {row["owner"]: row for row in json.loads(out)["owners"]}
    assert october["rick"]["goal_month"] == "2026-10"
    assert (october["rick"]["goal_minor"], october["rick"]["attainment"]) == (100_000, 300.0)
    code, out, _ = cli("report", "owners")
    lines = out.splitlines()
    assert "Goals: November 2026, won that month in every pipeline against each goal" in lines
    assert lines[lines.index("Goals") + 1].split() == [
        "OWNER",
        "GOAL",
        "WON",
        "NOV",
        "OF",
        "GOAL",
        "TO",
        "GO",
    ]
    assert max(len(line) for line in lines) <= 80


def test_the_standup_holds_the_forecast_against_the_team_goal(
    board: Board, rep_board: Board, clock: FixedClock
) -> None:
    from dealboard.domain.standup_text import standup_plain

    won_at(board, clock, datetime(2026, 11, 3, tzinfo=ZoneInfo("UTC")), "$4k", "rick")
    assert board.standup().forecast.target is None
    board.set_goal("team", "8k")
    board.set_goal("rick", "2k")
    forecast = board.standup().forecast
    assert forecast.target == Money(800_000, "USD") and forecast.target_is_goal
    november, december = (forecast.month(m)[0] for m in forecast.months)
    assert forecast.target_for(november) == Money(800_000, "USD")
    assert forecast.target_for(december) is None  # November's goal says nothing of December
    text = standup_plain(board.standup())
    assert "Forecast (team goal $8k)" in text
    assert "Team: $4k won of $8k (50%) · $4k to go" in text
    assert "Rick Rep: $4k won of $2k (200%) · goal met" in text
    typed = board.standup(target="100k").forecast  # typed for one stand-up: it wins
    assert typed.target == Money(10_000_000, "USD") and not typed.target_is_goal
    assert typed.target_for(typed.month(typed.months[1])[0]) == typed.target
