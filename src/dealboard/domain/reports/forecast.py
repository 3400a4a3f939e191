"""The forecast: open value by the month deals are expected to close, weighted and best case.

Over the deals open now (the pipeline's, owner's, tag's), per currency:

- **weighted** (`weighted_minor`): Σ value × the stage's probability ÷ 100,
  rounded down to the minor unit (the board's column headers weigh the same way);
- **best case** (`best_case_minor`): Σ value, as if every open deal closed won;
- **deals**: how many deals add up to it.

Buckets, in this order: **overdue** (an expected close date before this month,
whatever the window: a promise already broken), then one bucket per calendar
month that has deals, from `since`'s month (default: this month) to `until`'s
month (default: no end), then **no date** (no expected close date). Totals add
up the buckets shown. One aggregate query grouped by month and currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from dealboard.db.models import Deal
from dealboard.domain.reports.figures import currency_order
from dealboard.domain.reports.scope import ReportScope, deal_conditions, stage_ids
from dealboard.domain.reports.sql import date_month
from dealboard.vocabulary import StageKind


class BucketKind(StrEnum):
    """What a forecast bucket holds."""

    OVERDUE = "overdue"
    MONTH = "month"
    NO_DATE = "no-date"


@dataclass(frozen=True)
class ForecastAmount:
    """One currency's open deals in a bucket."""

    currency: str
    deals: int
    weighted_minor: int
    best_case_minor: int


@dataclass(frozen=True)
class ForecastBucket:
    """Overdue deals, one month's deals, or the deals without a date."""

    kind: BucketKind
    #: The first day of the month for a month bucket; None otherwise.
    month: date | None
    amounts: tuple[ForecastAmount, ...]

    @property
    def label(self) -> str:
        """`2026-12`, `overdue` or `no date`."""
        if self.month is not None:
            return f"{self.month:%Y-%m}"
        return "overdue" if self.kind is BucketKind.OVERDUE else "no date"


@dataclass(frozen=True)
class ForecastReport:
    """Overdue, the months of the window, no date; and their totals per currency."""

    scope: ReportScope
    first_month: date
    #: None when the window has no end.
    last_month: date | None
    buckets: tuple[ForecastBucket, ...]
    totals: tuple[ForecastAmount, ...]


def forecast_months(scope: ReportScope) -> tuple[date, date | None]:
    """The first and last month shown: from this month (or later `since`) to `until`'s month."""
    first = scope.this_month
    if scope.since is not None:
        first = max(first, scope.since.astimezone().date().replace(day=1))
    last = None
    if scope.until is not None:
        last = (scope.until - timedelta(microseconds=1)).astimezone().date().replace(day=1)
    return first, last


def build_forecast(session: Session, scope: ReportScope) -> ForecastReport:
    """Sum the open deals per expected-close month and currency, then bucket the months."""
    month = date_month(Deal.expected_close).label("month")
    probability = case(
        {s.id: s.probability for s in scope.open_stages}, value=Deal.stage_id, else_=0
    )
    rows = session.execute(
        select(
            month,
            Deal.currency,
            func.count(Deal.id),
            func.sum(Deal.value_minor),
            func.sum(Deal.value_minor * probability),
        )
        .where(*deal_conditions(scope), Deal.stage_id.in_(stage_ids(scope, StageKind.OPEN)))
        .group_by(month, Deal.currency)
    ).all()
    first, last = forecast_months(scope)
    sums: dict[tuple[BucketKind, date | None], dict[str, list[int]]] = {
        (BucketKind.OVERDUE, None): {}
    }
    for key, currency, count, value, weighted in rows:
        bucket = _bucket(key, scope.this_month, first, last)
        if bucket is None:
            continue
        entry = sums.setdefault(bucket, {}).setdefault(currency, [0, 0, 0])
        entry[0] += count
        entry[1] += int(weighted or 0)
        entry[2] += int(value or 0)
    sums.setdefault((BucketKind.NO_DATE, None), {})
    order = {BucketKind.OVERDUE: 0, BucketKind.MONTH: 1, BucketKind.NO_DATE: 2}
    buckets = tuple(
        ForecastBucket(kind, month_day, _amounts(sums[(kind, month_day)], scope.currency))
        for kind, month_day in sorted(sums, key=lambda b: (order[b[0]], b[1] or date.min))
    )
    grand: dict[str, list[int]] = {}
    for bucket in buckets:
        for amount in bucket.amounts:
            total = grand.setdefault(amount.currency, [0, 0, 0])
            total[0] += amount.deals
            total[1] += amount.weighted_minor * 100
            total[2] += amount.best_case_minor
    return ForecastReport(
        scope=scope,
        first_month=first,
        last_month=last,
        buckets=buckets,
        totals=_amounts(grand, scope.currency),
    )


def _bucket(
    key: str | None, this_month: date, first: date, last: date | None
) -> tuple[BucketKind, date | None] | None:
    if key is None:
        return BucketKind.NO_DATE, None
    month = date(int(key[:4]), int(key[5:7]), 1)
    if month < this_month:
        return BucketKind.OVERDUE, None
    if month < first or (last is not None and month > last):
        return None
    return BucketKind.MONTH, month


def _amounts(per_currency: dict[str, list[int]], main: str) -> tuple[ForecastAmount, ...]:
    """Weighted sums are kept ×100 until here, then rounded down once per bucket."""
    return tuple(
        ForecastAmount(
            code,
            per_currency[code][0],
            per_currency[code][1] // 100,
            per_currency[code][2],
        )
        for code in currency_order(per_currency, main)
    )
