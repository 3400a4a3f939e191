"""Reports read instants on the user's calendar, in every time zone, on both engines.

A deal closed at 00:30 on 1 July in Los Angeles is a July deal although
Los Angeles is at UTC−8 in November, when the report is asked for: each
instant is read at its own offset (summer or winter). Zones: one with
daylight saving (Los Angeles), one half an hour off with daylight saving
the other way round (Adelaide), a half-hour zone without (Kolkata), and UTC.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.dialects import postgresql

from clock import FixedClock
from dealboard.db import zones
from dealboard.db.models import Deal
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.reports.sql import instant_month
from test_cli import Cli, cli  # noqa: F401 - the fixture is used by name

ZONES = ("America/Los_Angeles", "Australia/Adelaide", "Asia/Kolkata", "UTC")
#: Local closing times just either side of month ends, and the month each belongs to.
CLOSINGS = (
    (datetime(2017, 3, 31, 23, 30), "2017-03"),
    (datetime(2017, 4, 1, 0, 30), "2017-04"),
    (datetime(2017, 4, 30, 23, 30), "2017-04"),
    (datetime(2017, 6, 30, 23, 30), "2017-06"),
    (datetime(2017, 7, 1, 0, 30), "2017-07"),
    (datetime(2017, 12, 31, 23, 59), "2017-12"),
    (datetime(2018, 1, 1, 0, 0), "2018-01"),
)


def lose_at(board: Board, clock: FixedClock, local: datetime, zone_name: str) -> int:
    """A deal lost at `local` wall-clock time in `zone_name`."""
    clock.now = local.replace(tzinfo=ZoneInfo(zone_name)).astimezone(UTC)
    deal_id = board.add_deal(DealFields(title=f"Lost {local:%Y-%m-%d %H:%M}", value="$100"))
    board.lose(deal_id, "price")
    return deal_id


def losses_by_month(board: Board, **window: str) -> dict[str, int]:
    report = board.report("losses", **window)
    return {f"{m.month:%Y-%m}": m.lost for m in report.by_month if m.month is not None}


@pytest.mark.parametrize("zone_name", ZONES)
def test_losses_fall_in_the_month_of_their_own_local_date(
    board: Board, clock: FixedClock, zone: Callable[[str], None], zone_name: str
) -> None:
    zone(zone_name)
    for local, _month in CLOSINGS:
        lose_at(board, clock, local, zone_name)
    clock.now = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)  # winter in LA, summer in Adelaide
    assert losses_by_month(board) == {
        "2017-03": 1,
        "2017-04": 2,
        "2017-06": 1,
        "2017-07": 1,
        "2017-12": 1,
        "2018-01": 1,
    }
    april = board.report("losses", since="2017-04-01", until="2017-04-30")
    assert april.lost == 2
    assert [(m.month, m.lost) for m in april.by_month] == [(date(2017, 4, 1), 2)]


@pytest.mark.parametrize(
    ("zone_name", "until", "inside", "outside"),
    [
        # Spring forward: 12 March 2017 has 23 hours in Los Angeles.
        (
            "America/Los_Angeles",
            "2017-03-12",
            datetime(2017, 3, 12, 23, 30),
            datetime(2017, 3, 13, 0, 30),
        ),
        # Fall back: 2 April 2017 has 25 hours in Adelaide.
        (
            "Australia/Adelaide",
            "2017-04-02",
            datetime(2017, 4, 2, 23, 30),
            datetime(2017, 4, 3, 0, 30),
        ),
    ],
)
def test_a_day_given_to_until_ends_at_the_next_local_midnight_on_a_clock_change(
    board: Board,
    clock: FixedClock,
    zone: Callable[[str], None],
    zone_name: str,
    until: str,
    inside: datetime,
    outside: datetime,
) -> None:
    zone(zone_name)
    lose_at(board, clock, inside, zone_name)
    lose_at(board, clock, outside, zone_name)
    window = {"since": until, "until": until}
    assert board.report("losses", **window).lost == 1
    assert losses_by_month(board, **window) == {f"{inside:%Y-%m}": 1}


@pytest.mark.parametrize("zone_name", ["America/Los_Angeles", "Asia/Kolkata"])
def test_report_losses_on_the_command_line_shows_no_month_outside_the_window(
    cli: Cli,  # noqa: F811
    board: Board,
    timed: FixedClock,
    zone: Callable[[str], None],
    zone_name: str,
) -> None:
    zone(zone_name)
    for local, _month in CLOSINGS[:3]:
        lose_at(board, timed, local, zone_name)
    timed.now = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
    code, out, err = cli(
        "report", "losses", "--since", "2017-04-01", "--until", "2017-04-30", "--format", "json"
    )
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert [(m["month"], m["lost"]) for m in report["by_month"]] == [("2017-04", 2)]


@pytest.mark.parametrize(
    ("tz", "name"),
    [
        ("America/Los_Angeles", "America/Los_Angeles"),
        (":Australia/Adelaide", "Australia/Adelaide"),
        ("UTC", "UTC"),
        ("<+0330>-3:30", None),  # a POSIX rule has no tz database name
        ("../../etc/passwd", None),
    ],
)
def test_the_users_zone_is_known_by_its_tz_database_name(
    zone: Callable[[str], None], tz: str, name: str | None
) -> None:
    zone(tz)
    assert zones.local_zone_name() == name


def test_sqlite_local_dates_read_each_instant_at_its_own_offset(
    zone: Callable[[str], None],
) -> None:
    zone("America/Los_Angeles")
    summer = "2017-07-01 07:30:00.000000"  # 00:30 PDT
    assert zones.local_date_text(summer, "America/Los_Angeles") == "2017-07-01"
    assert zones.local_date_text(summer, None) == "2017-07-01"  # the process's own zone
    assert zones.local_date_text(summer, "Asia/Kolkata") == "2017-07-01"
    assert zones.local_date_text("2017-06-30 18:29:59", "Asia/Kolkata") == "2017-06-30"
    assert zones.local_date_text(None, "UTC") is None


@pytest.mark.parametrize(
    "zone_name",
    [*ZONES, "Australia/Lord_Howe", "Asia/Beirut", "America/Havana", "America/Santiago"],
)
def test_sqlite_local_dates_are_exact_every_quarter_hour_of_a_year(zone_name: str) -> None:
    """The per-day memo agrees with `zoneinfo` on days the clocks change, even at midnight."""
    zone_info = ZoneInfo(zone_name)
    for quarter in range(4 * 24 * 365):
        moment = datetime(2017, 1, 1) + quarter * timedelta(minutes=15)
        moment -= timedelta(microseconds=quarter % 2)  # and just before each half hour
        expected = moment.replace(tzinfo=UTC).astimezone(zone_info).date().isoformat()
        stored = moment.strftime("%Y-%m-%d %H:%M:%S.%f")
        assert zones.local_date_text(stored, zone_name) == expected, stored


def test_postgresql_is_given_the_users_zone_by_name_never_the_servers() -> None:
    def compiled(zone_name: str | None) -> str:
        return str(
            instant_month(Deal.closed_at, zone_name, -25_200).compile(dialect=postgresql.dialect())
        )

    assert compiled("America/Los_Angeles") == (
        "to_char(deals.closed_at AT TIME ZONE 'America/Los_Angeles', 'YYYY-MM')"
    )
    # A zone with no tz database name: today's offset is the best there is.
    assert "INTERVAL '-25200 seconds'" in compiled(None)
    with pytest.raises(ValueError, match="not a time zone name"):
        compiled("UTC'; DROP TABLE deals; --")
