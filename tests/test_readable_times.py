"""Logged instants read as local time to the minute wherever people read them; JSON keeps ISO."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import URL

from clock import FixedClock
from dealboard.cli.main import main
from dealboard.domain.board import Board
from dealboard.domain.times import local_minute, readable_value
from helpers import win_in_berlin

LOGGED = "2026-12-02T12:01:59.972362+00:00"


@pytest.mark.parametrize(
    ("zone_name", "shown"),
    [
        ("UTC", "2026-12-02 12:01"),
        ("Europe/Berlin", "2026-12-02 13:01"),
        ("Pacific/Auckland", "2026-12-03 01:01"),  # already tomorrow there
        ("America/Los_Angeles", "2026-12-02 04:01"),
    ],
)
def test_a_logged_instant_reads_in_the_users_zone(
    zone: Callable[[str], None], zone_name: str, shown: str
) -> None:
    zone(zone_name)
    assert readable_value(LOGGED) == shown
    assert local_minute(datetime.fromisoformat(LOGGED)) == shown


@pytest.mark.parametrize(
    "kept", [None, "", "2026-12-31", "Qualify", "12:00", "2026-12-02T99:99", "USD 48,000.00"]
)
def test_anything_but_an_instant_is_shown_as_logged(kept: str | None) -> None:
    assert readable_value(kept) == kept


def test_a_naive_instant_is_taken_as_utc(zone: Callable[[str], None]) -> None:
    zone("Europe/Berlin")
    assert readable_value("2026-12-02T12:01:59") == "2026-12-02 13:01"


@pytest.fixture
def won_in_berlin(board: Board, clock: FixedClock, zone: Callable[[str], None]) -> int:
    return win_in_berlin(board, clock, zone)


def test_the_log_shows_the_close_in_local_time_and_json_keeps_iso(
    won_in_berlin: int, db_url: URL, timed: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    url = db_url.render_as_string(hide_password=False)
    assert main(["--db", url, "log", "--deal", str(won_in_berlin)]) == 0
    out = capsys.readouterr().out
    assert "closed at: 2026-11-20 16:00" in out
    assert "T15:00" not in out and "+00:00" not in out

    assert main(["--db", url, "log", "--deal", str(won_in_berlin), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    closed = next(row for row in rows if row["field"] == "closed_at")
    assert datetime.fromisoformat(closed["new"]) == datetime(
        2026, 11, 20, 15, 0, 30, 123456, tzinfo=UTC
    )


def test_undo_says_the_close_time_in_local_time(board: Board, won_in_berlin: int) -> None:
    description = board.undo().description
    assert "closed at 2026-11-20 16:00 → —" in description
    assert "+00:00" not in description
