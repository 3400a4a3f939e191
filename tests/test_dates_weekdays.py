"""Weekday names as dates: `fri` is the next Friday after today, `next mon` the one in next week."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from sqlalchemy.engine import URL

from clock import FixedClock
from dealboard.cli.main import main
from dealboard.domain.board import Board
from dealboard.domain.dates import ACCEPTED, parse_date
from dealboard.domain.deals import DealFields
from dealboard.domain.errors import InvalidInput

FRIDAY = date(2026, 11, 20)
WEDNESDAY = date(2026, 11, 18)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("mon", date(2026, 11, 23)),
        ("Tuesday", date(2026, 11, 24)),
        ("WED", date(2026, 11, 25)),
        ("thursday", date(2026, 11, 26)),
        ("sat", date(2026, 11, 21)),
        ("  Sunday ", date(2026, 11, 22)),
        ("fri", date(2026, 11, 27)),  # today's own name: a week later, never today
        ("friday", date(2026, 11, 27)),
    ],
)
def test_a_weekday_is_the_next_such_day_after_today(typed: str, expected: date) -> None:
    assert parse_date(typed, FRIDAY) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("next mon", date(2026, 11, 23)),  # from Wednesday: Monday of next week
        ("next wednesday", date(2026, 11, 25)),
        ("Next  Fri", date(2026, 11, 27)),
        ("next sun", date(2026, 11, 29)),
    ],
)
def test_next_weekday_is_in_the_following_week(typed: str, expected: date) -> None:
    assert parse_date(typed, WEDNESDAY) == expected


def test_weeks_run_monday_to_sunday_so_on_a_sunday_next_week_starts_tomorrow() -> None:
    sunday = date(2026, 11, 22)
    assert parse_date("mon", sunday) == date(2026, 11, 23)
    assert parse_date("next mon", sunday) == date(2026, 11, 23)
    assert parse_date("next sun", sunday) == date(2026, 11, 29)


@pytest.mark.parametrize("typed", ["fr", "next", "next tomorrow", "nextfri", "fridays", "last fri"])
def test_near_misses_are_refused_with_the_accepted_forms(typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_date(typed, FRIDAY, "due")
    assert ACCEPTED in str(refused.value)
    assert "fri" in ACCEPTED and "next mon" in ACCEPTED


@pytest.mark.parametrize(
    ("zone_name", "expected"),
    [
        ("Pacific/Auckland", date(2026, 11, 28)),  # already Saturday there: next Saturday
        ("UTC", date(2026, 11, 21)),
        ("America/Los_Angeles", date(2026, 11, 21)),
    ],
)
def test_the_weekday_counts_from_the_users_own_day(
    board: Board, clock: FixedClock, zone: Callable[[str], None], zone_name: str, expected: date
) -> None:
    zone(zone_name)
    clock.now = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)  # Friday in UTC
    deal_id = board.add_deal(DealFields(title="Pilot", close_date="sat", next_step_due="next mon"))
    summary = board.deal(deal_id).summary
    assert summary.expected_close == expected
    assert summary.next_step_due is not None and summary.next_step_due.weekday() == 0


def test_the_command_line_takes_weekday_names(
    board: Board, db_url: URL, timed: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    url = db_url.render_as_string(hide_password=False)
    code = main(["--db", url, "deal", "add", "--title", "Pilot", "--close-date", "Friday"])
    assert code == 0, capsys.readouterr().err
    capsys.readouterr()
    assert main(["--db", url, "deal", "list", "--format", "json"]) == 0
    (deal,) = json.loads(capsys.readouterr().out)
    assert deal["expected_close"] == "2026-11-27"
