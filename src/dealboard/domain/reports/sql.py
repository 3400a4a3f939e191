"""SQL the reports share, written once for SQLite and PostgreSQL.

SQLAlchemy compiles these per dialect: durations are `julianday()` differences
on SQLite (which keeps instants as ISO text) and `EXTRACT(EPOCH …)` on
PostgreSQL; an instant's local month is `AT TIME ZONE` on PostgreSQL and a Python
function on SQLite (`LocalCalendar`). Percentiles are nearest-rank
picks: the value at a rank is `ORDER BY … LIMIT 1 OFFSET rank−1`, which walks an
index rather than sorting every value (a window-function ranking of 500,000
stays took 0.7 s on SQLite; the index walk takes milliseconds).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Float, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import FunctionElement

from dealboard.db import zones
from dealboard.domain.reports.figures import seconds


class SecondsBetween(FunctionElement[float]):
    """`end − start` in seconds (a float), for two instants."""

    type = Float()
    name = "seconds_between"
    inherit_cache = True


@compiles(SecondsBetween)
def _seconds_generic(element: SecondsBetween, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"EXTRACT(EPOCH FROM ({end} - {start}))"


@compiles(SecondsBetween, "sqlite")
def _seconds_sqlite(element: SecondsBetween, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(c, **kw) for c in element.clauses)
    return f"((julianday({end}) - julianday({start})) * 86400.0)"


def seconds_between(start: Any, end: Any) -> SecondsBetween:
    """The duration from `start` to `end` in seconds, computed by the database."""
    return SecondsBetween(start, end)


class LocalCalendar(FunctionElement[str]):
    """`YYYY-MM-DD` (or its first `width` characters, `YYYY-MM`) of an instant in the user's zone.

    Each instant gets its own offset (a summer closing is read at summer time):
    `AT TIME ZONE '<name>'` on PostgreSQL, whatever the server's zone, and
    `dealboard_local_date()` (see `db.zones`) on SQLite. Only when the zone has
    no tz database name does PostgreSQL fall back to today's UTC offset.
    """

    type = String()
    name = "local_calendar"
    inherit_cache = False

    def __init__(self, instant: Any, zone: str | None, offset: int, width: int) -> None:
        self.zone = zone
        self.offset = int(offset)
        self.width = width
        super().__init__(instant)


_PG_FORMATS = {7: "YYYY-MM", 10: "YYYY-MM-DD"}


@compiles(LocalCalendar)
def _local_generic(element: LocalCalendar, compiler: SQLCompiler, **kw: Any) -> str:
    (instant,) = (compiler.process(c, **kw) for c in element.clauses)
    shape = _PG_FORMATS[element.width]
    if element.zone:
        return f"to_char({instant} AT TIME ZONE {zones.sql_literal(element.zone)}, '{shape}')"
    shifted = f"({instant} AT TIME ZONE 'UTC') + INTERVAL '{element.offset} seconds'"
    return f"to_char({shifted}, '{shape}')"


@compiles(LocalCalendar, "sqlite")
def _local_sqlite(element: LocalCalendar, compiler: SQLCompiler, **kw: Any) -> str:
    (instant,) = (compiler.process(c, **kw) for c in element.clauses)
    zone = zones.sql_literal(element.zone) if element.zone else "NULL"
    day = f"{zones.SQLITE_LOCAL_DATE_FUNCTION}({instant}, {zone})"
    return day if element.width == 10 else f"substr({day}, 1, {element.width})"


def instant_month(instant: Any, zone: str | None, offset: int = 0) -> LocalCalendar:
    """The calendar month (`2026-11`) an instant falls in, in the user's zone."""
    return LocalCalendar(instant, zone, offset, 7)


def instant_day(instant: Any, zone: str | None, offset: int = 0) -> LocalCalendar:
    """The calendar day (`2026-11-30`) an instant falls on, in the user's zone."""
    return LocalCalendar(instant, zone, offset, 10)


class DateMonth(FunctionElement[str]):
    """`YYYY-MM` of a calendar date."""

    type = String()
    name = "date_month"
    inherit_cache = True


@compiles(DateMonth)
def _date_month_generic(element: DateMonth, compiler: SQLCompiler, **kw: Any) -> str:
    (day,) = (compiler.process(c, **kw) for c in element.clauses)
    return f"to_char({day}, 'YYYY-MM')"


@compiles(DateMonth, "sqlite")
def _date_month_sqlite(element: DateMonth, compiler: SQLCompiler, **kw: Any) -> str:
    (day,) = (compiler.process(c, **kw) for c in element.clauses)
    return f"substr({day}, 1, 7)"


def date_month(day: Any) -> DateMonth:
    """The calendar month (`2026-11`) of a date column."""
    return DateMonth(day)


@dataclass(frozen=True)
class MedianP90:
    """The median and the 90th percentile of one group's durations, and how many there were."""

    n: int
    median: timedelta | None
    p90: timedelta | None


def percentile_ranks(n: int) -> tuple[int, int, int]:
    """The 1-based ranks, in ascending order of `n` values, that a median and p90 need.

    The lower and upper middle (the same rank when `n` is odd), and the nearest
    rank of the 90th percentile, `ceil(0.9 × n)`: the smallest value that at
    least 90 % of the values do not exceed.
    """
    return (n + 1) // 2, (n + 2) // 2, (9 * n + 9) // 10


def median_p90(n: int, at_rank: Mapping[int, float]) -> MedianP90:
    """From the values at `percentile_ranks(n)`; the median of an even count is the mean
    of the two middle values."""
    if not n:
        return MedianP90(0, None, None)
    low, high, p90 = percentile_ranks(n)
    middle = (float(at_rank[low]) + float(at_rank[high])) / 2
    return MedianP90(n, seconds(middle), seconds(float(at_rank[p90])))
