"""Why deals are lost, which groups close better, who sells: losses, cohorts, owners as charts.

Each function turns one domain report into blocks for `ChartView`. Rates are
bars out of 100 % with their counts beside them; money bars are drawn in the
pipeline's currency only, other currencies listed beside them, never converted.
"""

from __future__ import annotations

from dealboard.domain.goals import month_label, percent_text
from dealboard.domain.money import format_compact
from dealboard.domain.reports import (
    CohortsReport,
    CohortStats,
    LossesReport,
    LossMonth,
    LossTally,
    OwnerRow,
    OwnersReport,
)
from dealboard.ui.reports.charts import Bar, BarChart, Block, Tone, Words
from dealboard.ui.reports.wording import (
    count_text,
    days_text,
    month_text,
    rate_text,
    totals_text,
)


def reason_text(reason: str) -> str:
    """`no-decision` as people say it: `no decision`."""
    return reason.replace("-", " ")


def losses_blocks(report: LossesReport) -> list[Block]:
    """Lost deals by reason, by the stage they were lost from, and by month."""
    if not report.lost:
        return [Words("No deals were lost in this window.", "message")]
    columns = ("lost", "share", "value")
    return [
        Words(f"{count_text(report.lost, 'deal')} lost · {totals_text(report.value)}", "strong"),
        Words("By reason", "heading"),
        BarChart(
            tuple(_tally(t, reason_text(t.key)) for t in report.by_reason),
            columns,
            "reason",
            scale=report.lost,
        ),
        Words("By the stage they were lost from", "heading"),
        BarChart(
            tuple(_tally(t, t.key) for t in report.by_stage), columns, "stage", scale=report.lost
        ),
        *([Words(report.imported_note)] if report.imported_note else []),
        Words("By month", "heading"),
        BarChart(tuple(_month(m) for m in report.by_month), ("lost", "most often"), "month"),
    ]


def _tally(tally: LossTally, label: str) -> Bar:
    return Bar(
        label,
        tally.lost,
        (str(tally.lost), rate_text(tally.share), totals_text(tally.value)),
        tone="bad",
    )


def _month(month: LossMonth) -> Bar:
    """The month's count, and its reason if one leads (ties are said as ties)."""
    top = max((count for _, count in month.reasons), default=0)
    leaders = [reason for reason, count in month.reasons if count == top]
    if len(leaders) == 1:
        most = f"{reason_text(leaders[0])} ({top})"
    else:
        most = f"{len(leaders)} reasons, {top} each"
    label = month_text(month.month) if month.month else "no date"  # imported, never dated
    return Bar(label, month.lost, (str(month.lost), most), tone="bad")


def cohorts_blocks(report: CohortsReport) -> list[Block]:
    """Win rate per lead source, and per tag against the deals without it."""
    everyone = report.all
    if not everyone.deals:
        return [Words("No deals were created in this window.", "message")]
    sources = tuple(_cohort(c.key, c.stats) for c in report.by_source)
    tags = [_tag(f"#{t.tag}", t.with_tag, rate_text(t.without_tag.win_rate)) for t in report.by_tag]
    blocks: list[Block] = [
        Words(
            f"{count_text(everyone.deals, 'deal')} created: {everyone.closed} closed · "
            f"win rate {rate_text(everyone.win_rate)}",
            "strong",
        ),
        Words("By lead source", "heading"),
        BarChart(sources, ("win rate", "deals", "cycle", "won value"), "source", scale=100),
    ]
    if tags:
        tags.append(_tag("no tag", report.untagged, "", "muted"))
        blocks += [
            Words("By tag: the deals with it against every other deal", "heading"),
            BarChart(tuple(tags), ("win rate", "deals", "without it"), "tag", scale=100),
        ]
    blocks.append(
        Words(
            "win rate: won out of closed, of the deals created in the window · cycle: average "
            "from creation to won · won value per currency, never converted"
        )
    )
    return blocks


def _cohort(label: str, stats: CohortStats) -> Bar:
    return Bar(
        label,
        stats.win_rate.percent,
        (
            rate_text(stats.win_rate),
            str(stats.deals),
            days_text(stats.avg_cycle.value),
            totals_text(stats.won_value),
        ),
        tone="good",
    )


def _tag(label: str, stats: CohortStats, without: str, tone: Tone = "good") -> Bar:
    """A tag's win rate, beside the win rate of the deals without it."""
    figures = (rate_text(stats.win_rate), str(stats.deals), without)
    return Bar(label, stats.win_rate.percent, figures, tone=tone)


def owners_blocks(report: OwnersReport) -> list[Block]:
    """The leaderboard: won value bars in the pipeline's currency, then the figures."""
    if not report.owners:
        return [
            Words("No deals closed and no touches logged in this window.", "message"),
            *goal_blocks(report),
        ]
    main = report.scope.currency
    bars = [_owner(row, main) for row in report.owners]
    bars.append(_owner(report.team, main, team=True))
    return [
        BarChart(tuple(bars), ("won value", "win rate", "touches", "SLA"), "owner"),
        Words(
            f"bars: won value in {main}, other currencies beside it · win rate: won out of "
            "closed · touches: calls, emails, meetings done · SLA: leads answered in time"
        ),
        *goal_blocks(report),
    ]


def goal_blocks(report: OwnersReport) -> list[Block]:
    """The month's goals: a bar of how much of each is won (full at 100 %), then the figures."""
    rows = [(r, r.goal) for r in (*report.owners, report.team) if r.goal is not None]
    if not rows:
        return []
    bars = []
    for row, goal in rows:
        currency = goal.goal.amount.currency
        met = goal.percent is not None and goal.percent >= 100
        bars.append(
            Bar(
                row.display_name,
                min(goal.percent or 0.0, 100.0),
                (
                    percent_text(goal),
                    format_compact(goal.goal.amount.minor, currency),
                    format_compact(goal.won_minor, currency),
                    format_compact(goal.remaining_minor, currency) if not met else "met",
                ),
                tone="good" if met else "bar",
                strong=row.owner is None,
            )
        )
    return [
        Words(f"Goals for {month_label(report.goal_month)}", "heading"),
        BarChart(tuple(bars), ("attained", "goal", "won", "to go"), "owner", scale=100),
        Words("won that month in every pipeline, against each goal · dealboard goal set"),
    ]


def _owner(row: OwnerRow, main: str, *, team: bool = False) -> Bar:
    value = next((t.total_minor for t in row.won_value if t.currency == main), 0)
    return Bar(
        row.display_name,
        None if team else value,
        (
            totals_text(row.won_value),
            rate_text(row.win_rate),
            str(row.activities),
            rate_text(row.sla),
        ),
        tone="good",
        strong=team,
    )
