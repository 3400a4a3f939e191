"""What each report prints: its heading lines and sections of typed cells.

`report_render` turns a view into a table, Markdown or CSV; the figures and
their definitions come from `dealboard.domain.reports`.
"""

from __future__ import annotations

from datetime import date

from dealboard.cli.report_render import Column, Kind, Section, View, duration_text, rate_text
from dealboard.domain.goals import month_label, percent_text
from dealboard.domain.money import Money, format_compact
from dealboard.domain.reports import (
    REPORTS,
    CohortsReport,
    CohortStats,
    ForecastAmount,
    ForecastReport,
    FunnelReport,
    LossesReport,
    OwnerRow,
    OwnersReport,
    Report,
    ReportScope,
    StagesReport,
    VelocityReport,
)

_LOCAL = "%Y-%m-%d %H:%M"


def report_view(name: str, report: Report) -> View:
    """The view of one report, headed by what it covers."""
    heading, sections = _VIEWS[type(report)](report)
    return View((*_heading(name, report.scope), *heading), sections)


def _heading(name: str, scope: ReportScope) -> tuple[str, ...]:
    spec = REPORTS[name]
    start = f"{scope.since.astimezone():{_LOCAL}}" if scope.since else "the beginning"
    end = f"{scope.until.astimezone():{_LOCAL}}" if scope.until else "now"
    window = "all time" if not scope.since and not scope.until else f"{start} → {end}"
    lines = [
        f"{spec.title} · {scope.pipeline.title} ({scope.pipeline.name})",
        f"window: {window} ({spec.window})",
    ]
    filters = [f"owner {scope.owner}"] if scope.owner else []
    filters += [f"tag #{scope.tag}"] if scope.tag else []
    if filters:
        lines.append("only deals of " + " and ".join(filters))
    return tuple(lines)


_STAGE = Column("STAGE", "stage")


def _imported(note: str | None) -> tuple[str, ...]:
    """The report's line about imported history it left out, when it left some out."""
    return (note,) if note else ()


def _funnel(report: FunnelReport) -> tuple[tuple[str, ...], tuple[Section, ...]]:
    heading = (
        f"{report.deals:,} deals: {report.open:,} open, {report.won:,} won, {report.lost:,} lost",
        *_imported(report.imported_note),
    )
    columns = (
        _STAGE,
        Column("REACHED", "reached", Kind.COUNT),
        Column("TO NEXT", "to_next", Kind.RATE),
        Column("FROM FIRST", "from_first", Kind.RATE),
    )
    rows = tuple((s.stage, s.reached, s.to_next, s.from_first) for s in report.steps)
    return heading, (Section("", columns, rows),)


def _stages(report: StagesReport) -> tuple[tuple[str, ...], tuple[Section, ...]]:
    columns = (
        _STAGE,
        Column("LEFT", "finished", Kind.COUNT),
        Column("MEDIAN", "finished_median", Kind.DURATION),
        Column("P90", "finished_p90", Kind.DURATION),
        Column("IN NOW", "ongoing", Kind.COUNT),
        Column("MEDIAN", "ongoing_median", Kind.DURATION),
        Column("P90", "ongoing_p90", Kind.DURATION),
    )
    rows = tuple(
        (
            s.stage,
            s.finished.n,
            s.finished.median,
            s.finished.p90,
            s.ongoing.n,
            s.ongoing.median,
            s.ongoing.p90,
        )
        for s in report.stages
    )
    note = (
        "LEFT: stays that ended in the window; IN NOW: deals in the stage, aged to now",
        *_imported(report.imported_note),
    )
    return note, (Section("", columns, rows),)


def _velocity(report: VelocityReport) -> tuple[tuple[str, ...], tuple[Section, ...]]:
    cycle = report.avg_cycle
    heading = (
        f"open deals {report.open_deals:,} × win rate {rate_text(report.win_rate)} "
        f"× average won value ÷ average cycle {duration_text(cycle.value)} (n={cycle.n})",
    )
    columns = (
        Column("CURRENCY", "currency"),
        Column("OPEN", "open_deals", Kind.COUNT),
        Column("WIN RATE", "win_rate", Kind.RATE),
        Column("CYCLE", "avg_cycle", Kind.SAMPLE),
        Column("AVG WON", "avg_won", Kind.AVERAGE),
        Column("PER DAY", "velocity_per_day", Kind.AMOUNT),
        Column("", "missing"),
    )
    rows = tuple(
        (
            row.currency,
            row.open_deals,
            report.win_rate,
            cycle,
            (row.won_value,),
            Money(row.per_day_minor, row.currency) if row.per_day_minor is not None else None,
            row.missing or "",
        )
        for row in report.currencies
    )
    return heading, (Section("", columns, rows),)


def _forecast(report: ForecastReport) -> tuple[tuple[str, ...], tuple[Section, ...]]:
    columns = (
        Column("CLOSE", "bucket"),
        Column("CURRENCY", "currency"),
        Column("DEALS", "deals", Kind.COUNT),
        Column("WEIGHTED", "weighted", Kind.AMOUNT),
        Column("BEST CASE", "best_case", Kind.AMOUNT),
    )
    rows = [_amount(b.label, a) for b in report.buckets for a in b.amounts]
    rows += [_amount("total", a) for a in report.totals]
    note = ("weighted: value × the stage's probability; best case: every open deal won",)
    return note, (Section("", columns, tuple(rows), total=len(report.totals)),)


def _amount(label: str, a: ForecastAmount) -> tuple[object, ...]:
    weighted, best = Money(a.weighted_minor, a.currency), Money(a.best_case_minor, a.currency)
    return (label, a.currency, a.deals, weighted, best)


def _losses(report: LossesReport) -> tuple[tuple[str, ...], tuple[Section, ...]]:
    value = " + ".join(format_compact(t.total_minor, t.currency) for t in report.value)
    heading = (
        f"{report.lost:,} deals lost" + (f", {value}" if value else ""),
        *_imported(report.imported_note),
    )
    tally = (
        Column("LOST", "lost", Kind.COUNT),
        Column("SHARE", "share", Kind.RATE),
        Column("VALUE", "value", Kind.MONEY),
    )
    return heading, (
        Section(
            "By reason",
            (Column("REASON", "key"), *tally),
            tuple((t.key, t.lost, t.share, t.value) for t in report.by_reason),
        ),
        Section(
            "By stage lost from",
            (Column("STAGE", "key"), *tally),
            tuple((t.key, t.lost, t.share, t.value) for t in report.by_stage),
        ),
        Section(
            "By month",
            (
                Column("MONTH", "key"),
                Column("LOST", "lost", Kind.COUNT),
                Column("REASONS", "reasons"),
            ),
            tuple(
                (
                    f"{m.month:%Y-%m}" if m.month else "no date",
                    m.lost,
                    ", ".join(f"{reason.value} {count}" for reason, count in m.reasons),
                )
                for m in report.by_month
            ),
        ),
    )


_GROUP = (
    Column("DEALS", "deals", Kind.COUNT),
    Column("WIN RATE", "win_rate", Kind.RATE),
    Column("AVG CYCLE", "avg_cycle", Kind.SAMPLE),
    Column("AVG WON", "avg_won", Kind.AVERAGE),
)


def _group(label: str, stats: CohortStats) -> tuple[object, ...]:
    return (label, stats.deals, stats.win_rate, stats.avg_cycle, stats.won_value)


def _cohorts(report: CohortsReport) -> tuple[tuple[str, ...], tuple[Section, ...]]:
    heading = ("WIN RATE: won of closed; AVG CYCLE: creation to won; AVG WON: value of won deals",)
    tags = []
    for t in report.by_tag:
        tags += [_group(f"#{t.tag}", t.with_tag), _group(f"  without #{t.tag}", t.without_tag)]
    tags.append(_group("(no tag)", report.untagged))
    return heading, (
        Section("All deals", (Column("", "key"), *_GROUP), (_group("all", report.all),)),
        Section(
            "By source",
            (Column("SOURCE", "key"), *_GROUP),
            tuple(_group(c.key, c.stats) for c in report.by_source),
        ),
        Section("By tag", (Column("TAG", "key"), *_GROUP), tuple(tags)),
    )


def _owner(row: OwnerRow) -> tuple[object, ...]:
    return (row.display_name, row.won, row.won_value, row.win_rate, row.activities, row.sla)


def _owners(report: OwnersReport) -> tuple[tuple[str, ...], tuple[Section, ...]]:
    heading = ("SLA: leads first touched within the speed to lead, of those judged",)
    columns = (
        Column("OWNER", "owner"),
        Column("WON", "won", Kind.COUNT),
        Column("WON VALUE", "won_value", Kind.MONEY),
        Column("WIN RATE", "win_rate", Kind.RATE),
        Column("TOUCHES", "activities", Kind.COUNT),
        Column("SLA", "sla", Kind.RATE),
    )
    rows = (*(_owner(r) for r in report.owners), _owner(report.team))
    goals = _goals(report)
    if goals is not None:
        month = month_label(report.goal_month)
        heading += (f"Goals: {month}, won that month in every pipeline against each goal",)
    return heading, (Section("", columns, rows, total=1), *([goals] if goals else []))


def _goals(report: OwnersReport) -> Section | None:
    """The month's goals of the owners listed, and the team's: only when there are some."""
    rows = [(r, r.goal) for r in (*report.owners, report.team) if r.goal is not None]
    if not rows:
        return None
    month = f"{date.fromisoformat(report.goal_month + '-01'):%b}".upper()
    columns = (
        Column("OWNER", "owner"),
        Column("GOAL", "goal", Kind.AMOUNT),
        Column(f"WON {month}", "goal_month_won", Kind.AMOUNT),
        Column("OF GOAL", "attainment"),
        Column("TO GO", "remaining", Kind.AMOUNT),
    )
    cells = tuple(
        (
            r.display_name,
            goal.goal.amount,
            Money(goal.won_minor, goal.goal.amount.currency),
            percent_text(goal),
            Money(goal.remaining_minor, goal.goal.amount.currency),
        )
        for r, goal in rows
    )
    return Section("Goals", columns, cells, total=int(report.team.goal is not None))


_VIEWS = {
    FunnelReport: _funnel,
    StagesReport: _stages,
    VelocityReport: _velocity,
    ForecastReport: _forecast,
    LossesReport: _losses,
    CohortsReport: _cohorts,
    OwnersReport: _owners,
}
