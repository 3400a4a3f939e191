"""SQL the reports share, written once for SQLite and PostgreSQL.

SQLAlchemy compiles these per dialect: durations are `julianday()` differences
on SQLite (which keeps instants as ISO text) and `EXTRACT(EPOCH …)` on
PostgreSQL; months are `strftime` and `to_char`. Percentiles are nearest-rank
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


class InstantMonth(FunctionElement[str]):
    """`YYYY-MM` of an instant, in a zone `offset` seconds east of UTC."""

    type = String()
    name = "instant_month"
    inherit_cache = False

    def __init__(self, instant: Any, offset: int) -> None:
        self.offset = int(offset)
        super().__init__(instant)


@compiles(InstantMonth)
def _month_generic(element: InstantMonth, compiler: SQLCompiler, **kw: Any) -> str:
    (instant,) = (compiler.process(c, **kw) for c in element.clauses)
    return (
        f"to_char(({instant} AT TIME ZONE 'UTC') + INTERVAL '{element.offset} seconds', 'YYYY-MM')"
    )


@compiles(InstantMonth, "sqlite")
def _month_sqlite(element: InstantMonth, compiler: SQLCompiler, **kw: Any) -> str:
    (instant,) = (compiler.process(c, **kw) for c in element.clauses)
    return f"strftime('%Y-%m', {instant}, '{element.offset:+d} seconds')"


def instant_month(instant: Any, offset: int) -> InstantMonth:
    """The calendar month (`2026-11`) an instant falls in, at the user's UTC offset."""
    return InstantMonth(instant, offset)


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
