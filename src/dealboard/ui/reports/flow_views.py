"""How deals move, as charts: the funnel, time in stage, velocity and the forecast.

Each function turns one domain report into blocks for `ChartView`; the
figures are the domain's, only worded here (`dealboard.ui.reports.wording`).
An empty window is one plain sentence, never an empty chart.
"""

from __future__ import annotations

from datetime import timedelta

from dealboard.domain.reports import (
    BucketKind,
    ForecastAmount,
    ForecastReport,
    FunnelReport,
    StagesReport,
    VelocityReport,
)
from dealboard.ui.reports.charts import Bar, BarChart, Block, Tone, Words
from dealboard.ui.reports.wording import (
    UNKNOWN,
    count_text,
    days,
    days_text,
    money_text,
    month_text,
    rate_text,
)
from dealboard.vocabulary import StageKind

#: Days in the "per 30 days" velocity figure.
MONTH_DAYS = 30
_BUCKET_TONES: dict[BucketKind, Tone] = {
    BucketKind.OVERDUE: "warn",
    BucketKind.MONTH: "bar",
    BucketKind.NO_DATE: "muted",
}


def funnel_blocks(report: FunnelReport) -> list[Block]:
    """One bar per stage (deals that reached it), shrinking towards Won."""
    if not report.deals:
        return [Words("No deals were created in this window.", "message")]
    first = report.steps[0].reached if report.steps else 0
    bars = tuple(
        Bar(
            step.stage,
            step.reached,
            (str(step.reached), rate_text(step.to_next), rate_text(step.from_first)),
            tone="good" if step.kind is StageKind.WON else "bar",
            strong=step.kind is StageKind.WON,
        )
        for step in report.steps
    )
    return [
        Words(
            f"{count_text(report.deals, 'deal')} created: {report.open} open · "
            f"{report.won} won · {report.lost} lost",
            "strong",
        ),
        BarChart(bars, ("reached", "to next", "of first"), "stage", scale=first or None),
        Words(
            "reached: entered the stage or a later one at some time (won counts as every "
            "stage) · to next: of those, how many reached the next step"
        ),
        *_imported(report.imported_note),
    ]


def stages_blocks(report: StagesReport) -> list[Block]:
    """Median (solid) and 90th percentile (shade) of finished stays, per open stage."""
    if not any(s.finished.n or s.ongoing.n for s in report.stages):
        return [
            Words("No deal has spent time in a stage in this window.", "message"),
            *_imported(report.imported_note),
        ]
    bars = tuple(
        Bar(
            s.stage,
            days(s.finished.median),
            (
                days_text(s.finished.median),
                days_text(s.finished.p90),
                str(s.finished.n),
                _ongoing(s.ongoing.n, s.ongoing.median),
            ),
            reach=days(s.finished.p90),
        )
        for s in report.stages
    )
    return [
        BarChart(bars, ("median", "p90", "stays", "there now"), "stage"),
        Words(
            "█ median  ░ on to the 90th percentile · stays: how many ended · there now: "
            "deals in the stage now, and their median time so far"
        ),
        *_imported(report.imported_note),
    ]


def _imported(note: str | None) -> list[Block]:
    """The report's line about imported history it left out, when it left some out."""
    return [Words(note)] if note else []


def _ongoing(count: int, median: timedelta | None) -> str:
    return f"{count} · {days_text(median)}" if count else "0"


def velocity_blocks(report: VelocityReport) -> list[Block]:
    """The factors per currency and the result per day and per 30 days (the tiles hold the rest)."""
    if not report.currencies:
        return [Words("No open deals and no deals closed in this window.", "message")]
    rows = []
    missing = []
    for row in report.currencies:
        average = row.won_value.average_minor
        per_day = row.per_day_minor
        rows.append(
            Bar(
                row.currency,
                None,
                (
                    str(row.open_deals),
                    UNKNOWN if average is None else money_text(average, row.currency),
                    UNKNOWN if per_day is None else money_text(per_day, row.currency),
                    UNKNOWN if per_day is None else money_text(per_day * MONTH_DAYS, row.currency),
                ),
                strong=True,
            )
        )
        if row.missing:
            missing.append(Words(f"{row.currency}: {row.missing}"))
    return [
        BarChart(
            tuple(rows),
            ("open deals", "avg won", "per day", f"per {MONTH_DAYS} days"),
            "currency",
            drawn=False,
        ),
        *missing,
        Words(
            "win rate, average won value and cycle: deals closed in the window · open deals: "
            "now · money is never converted: one row per currency"
        ),
    ]


def forecast_blocks(report: ForecastReport) -> list[Block]:
    """Weighted (solid) and best case (shade) per month; one group per currency."""
    if not report.totals:
        return [Words("No open deals to forecast.", "message")]
    blocks: list[Block] = [
        Words("█ weighted by stage probability  ░ on to the best case (every deal won)")
    ]
    several = len(report.totals) > 1
    for total in report.totals:
        bars = []
        for bucket in report.buckets:
            amount = next((a for a in bucket.amounts if a.currency == total.currency), None)
            if amount is None and bucket.kind is BucketKind.MONTH:
                continue
            label = month_text(bucket.month) if bucket.month else bucket.label
            bars.append(_forecast_bar(label, amount, total.currency, _BUCKET_TONES[bucket.kind]))
        bars.append(_forecast_bar("total", total, total.currency, "bar", strong=True))
        if several:
            blocks.append(
                Words(f"{total.currency} · {count_text(total.deals, 'open deal')}", "heading")
            )
        blocks.append(BarChart(tuple(bars), ("weighted", "best case", "deals"), "month"))
    blocks.append(
        Words(
            "overdue: expected to close before this month · no date: no expected close date · "
            "money is never converted: one chart per currency"
            if several
            else "overdue: expected to close before this month · no date: no expected close date"
        )
    )
    return blocks


def _forecast_bar(
    label: str, amount: ForecastAmount | None, currency: str, tone: Tone, *, strong: bool = False
) -> Bar:
    if amount is None:
        return Bar(label, 0, (money_text(0, currency), money_text(0, currency), "0"), tone=tone)
    return Bar(
        label,
        None if strong else amount.weighted_minor,
        (
            money_text(amount.weighted_minor, currency),
            money_text(amount.best_case_minor, currency),
            str(amount.deals),
        ),
        reach=None if strong else amount.best_case_minor,
        tone=tone,
        strong=strong,
    )
