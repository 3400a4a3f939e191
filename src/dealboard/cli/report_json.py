"""The JSON of `dealboard report NAME --format json`: stable keys, documented here, for scripts.

Every report is one object. Keys are never renamed or removed; new ones may be
added. Numbers are JSON numbers; nothing is formatted for people.

**Every report starts with** `report` (its name), `generated_at` (ISO 8601,
UTC), `pipeline` (the pipeline's name), `currency` (the pipeline's own),
`since` and `until` (ISO 8601 UTC instants, or null when not given; the window
is `[since, until)`), `owner` and `tag` (the filters given, or null).

**Shared shapes**

- *rate*: `{"count": 3, "n": 4, "percent": 75.0}`: `count` out of `n` (the
  sample size); `percent` has one decimal and is null when `n` is 0.
- *money*: minor units (cents) of one currency, never converted. Amounts per
  currency are an object keyed by ISO 4217 code, the pipeline's currency first:
  `{"USD": {"total": 400000, "count": 2, "average": 200000}}` (`count` deals
  add up to `total`; `average` rounded half up, null when `count` is 0).
- *durations* are whole seconds in keys ending `_seconds` (null when unknown);
  *stays*: `{"n": 10, "median_seconds": 475200, "p90_seconds": 777600}`.
- *months* are `"YYYY-MM"`.

**funnel** (deals created in the window): `deals`, `open`, `won`, `lost` (what
those deals are now), `steps`: one per open stage and the won stage, in order,
`{"stage", "kind": "open"|"won", "reached", "to_next": rate|null (null on the
last step), "from_first": rate}`; `not_measured`: imported deals whose stage
history the file did not give, left out of every step.

**stages** (stays that ended in the window): `stages`: one per open stage,
`{"stage", "finished": stays, "ongoing": stays}`; `ongoing` are the deals in
the stage now, measured up to `generated_at`; `not_measured`: imported deals
whose stays are not measured (another system's history, or a stay counted from
the import) and are left out of both.

**velocity** (deals closed in the window; open deals now): `open_deals`,
`win_rate` (won of closed), `avg_cycle_seconds` (creation to won) and
`avg_cycle_n` (won deals), `currencies`: keyed by currency,
`{"open_deals", "won_value": money, "velocity_per_day": minor units a day
or null, "missing": null or why velocity is unknown}`.

**forecast** (open deals; months from `first_month` to `last_month`, null =
no end): `first_month`, `last_month`, `buckets`: in order overdue, months,
no date, `{"bucket": "overdue"|"YYYY-MM"|"no-date", "kind":
"overdue"|"month"|"no-date", "amounts": {currency: {"deals", "weighted",
"best_case"}}}`; `totals`: the same amounts added up over the buckets.

**losses** (deals lost in the window): `lost`, `value` (money), `by_reason`:
`{"reason", "lost", "share": rate, "value": money}` most frequent first;
`by_stage`: `{"stage", "lost", "share", "value"}` in pipeline order (stage
`"(unknown)"` if the history does not say); `not_measured`: imported lost
deals whose file did not say the stage (counted under `"(unknown)"`); `by_month`: `{"month", "lost",
"reasons": {reason: count}}` (`month` null, last: lost with no closing date).

**cohorts** (deals created in the window): `all`, `untagged`: a *group*;
`by_source`: `{"source": text or null for none, …group}`; `by_tag`:
`{"tag", "with": group, "without": group}` (`without`: every other deal in
scope). A *group*: `{"deals", "closed", "won", "win_rate": rate,
"avg_cycle_seconds", "avg_cycle_n", "won_value": money}`.

**owners** (deals closed, touches done, leads created in the window):
`owners` (won value in the pipeline's currency first) and `team` (`owner`
null): `{"owner", "display_name", "won", "won_value": money, "win_rate":
rate, "activities", "sla": rate (leads answered within the speed to lead, of
those judged), "goal_month": "YYYY-MM" (the month the window ends in, else this
month), "goal_minor", "goal_currency", "goal_month_won_minor" (won that month,
every pipeline, in the goal's currency, else the pipeline's), "attainment" (won ÷
goal in percent, one decimal), "remaining_minor"}`; null where there is no goal.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from dealboard.domain.reports import (
    CohortsReport,
    CohortStats,
    CurrencyTotal,
    ForecastAmount,
    ForecastReport,
    FunnelReport,
    LossesReport,
    LossTally,
    MedianP90,
    OwnerRow,
    OwnersReport,
    Rate,
    Report,
    ReportScope,
    StagesReport,
    VelocityReport,
)
from dealboard.domain.reports.cohorts import NO_SOURCE


def report_json(name: str, report: Report) -> dict[str, Any]:
    """The documented object for one report."""
    body = _BODIES[type(report)](report)
    return {**_header(name, report.scope), **body}


def _header(name: str, scope: ReportScope) -> dict[str, Any]:
    return {
        "report": name,
        "generated_at": _instant(scope.now),
        "pipeline": scope.pipeline.name,
        "currency": scope.currency,
        "since": _instant(scope.since),
        "until": _instant(scope.until),
        "owner": scope.owner,
        "tag": scope.tag,
    }


def _instant(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment is not None else None


def rate(value: Rate) -> dict[str, Any]:
    """`{"count", "n", "percent"}`."""
    percent = value.percent
    return {
        "count": value.hits,
        "n": value.n,
        "percent": round(percent, 1) if percent is not None else None,
    }


def money(totals: Iterable[CurrencyTotal]) -> dict[str, Any]:
    """`{currency: {"total", "count", "average"}}`."""
    return {
        t.currency: {"total": t.total_minor, "count": t.count, "average": t.average_minor}
        for t in totals
    }


def _seconds(value: timedelta | None) -> int | None:
    return round(value.total_seconds()) if value is not None else None


def _stays(value: MedianP90) -> dict[str, Any]:
    return {
        "n": value.n,
        "median_seconds": _seconds(value.median),
        "p90_seconds": _seconds(value.p90),
    }


def _funnel(report: FunnelReport) -> dict[str, Any]:
    return {
        "deals": report.deals,
        "open": report.open,
        "won": report.won,
        "lost": report.lost,
        "steps": [
            {
                "stage": step.stage,
                "kind": step.kind.value,
                "reached": step.reached,
                "to_next": rate(step.to_next) if step.to_next is not None else None,
                "from_first": rate(step.from_first),
            }
            for step in report.steps
        ],
        "not_measured": report.not_measured,
    }


def _stages(report: StagesReport) -> dict[str, Any]:
    return {
        "stages": [
            {"stage": s.stage, "finished": _stays(s.finished), "ongoing": _stays(s.ongoing)}
            for s in report.stages
        ],
        "not_measured": report.not_measured,
    }


def _velocity(report: VelocityReport) -> dict[str, Any]:
    return {
        "open_deals": report.open_deals,
        "win_rate": rate(report.win_rate),
        "avg_cycle_seconds": _seconds(report.avg_cycle.value),
        "avg_cycle_n": report.avg_cycle.n,
        "currencies": {
            row.currency: {
                "open_deals": row.open_deals,
                "won_value": money([row.won_value])[row.currency],
                "velocity_per_day": row.per_day_minor,
                "missing": row.missing,
            }
            for row in report.currencies
        },
    }


def _amounts(amounts: Iterable[ForecastAmount]) -> dict[str, Any]:
    return {
        a.currency: {"deals": a.deals, "weighted": a.weighted_minor, "best_case": a.best_case_minor}
        for a in amounts
    }


def _forecast(report: ForecastReport) -> dict[str, Any]:
    return {
        "first_month": f"{report.first_month:%Y-%m}",
        "last_month": f"{report.last_month:%Y-%m}" if report.last_month else None,
        "buckets": [
            {
                "bucket": b.label if b.month is not None else b.kind.value,
                "kind": b.kind.value,
                "amounts": _amounts(b.amounts),
            }
            for b in report.buckets
        ],
        "totals": _amounts(report.totals),
    }


def _tally(key: str, tally: LossTally) -> dict[str, Any]:
    return {
        key: tally.key,
        "lost": tally.lost,
        "share": rate(tally.share),
        "value": money(tally.value),
    }


def _losses(report: LossesReport) -> dict[str, Any]:
    return {
        "lost": report.lost,
        "value": money(report.value),
        "by_reason": [_tally("reason", t) for t in report.by_reason],
        "by_stage": [_tally("stage", t) for t in report.by_stage],
        "by_month": [
            {
                "month": f"{m.month:%Y-%m}" if m.month else None,
                "lost": m.lost,
                "reasons": {reason.value: count for reason, count in m.reasons},
            }
            for m in report.by_month
        ],
        "not_measured": report.not_measured,
    }


def group(stats: CohortStats) -> dict[str, Any]:
    """One cohort's figures."""
    return {
        "deals": stats.deals,
        "closed": stats.closed,
        "won": stats.won,
        "win_rate": rate(stats.win_rate),
        "avg_cycle_seconds": _seconds(stats.avg_cycle.value),
        "avg_cycle_n": stats.avg_cycle.n,
        "won_value": money(stats.won_value),
    }


def _cohorts(report: CohortsReport) -> dict[str, Any]:
    return {
        "all": group(report.all),
        "by_source": [
            {"source": None if c.key == NO_SOURCE else c.key, **group(c.stats)}
            for c in report.by_source
        ],
        "by_tag": [
            {"tag": t.tag, "with": group(t.with_tag), "without": group(t.without_tag)}
            for t in report.by_tag
        ],
        "untagged": group(report.untagged),
    }


def _owner(row: OwnerRow, month: str) -> dict[str, Any]:
    return {
        "owner": row.owner,
        "display_name": row.display_name,
        "won": row.won,
        "won_value": money(row.won_value),
        "win_rate": rate(row.win_rate),
        "activities": row.activities,
        "sla": rate(row.sla),
        **_goal(row, month),
    }


def _goal(row: OwnerRow, month: str) -> dict[str, Any]:
    goal = row.goal
    percent = goal.percent if goal else None
    return {
        "goal_month": month,
        "goal_minor": goal.goal.amount.minor if goal else None,
        "goal_currency": goal.goal.amount.currency if goal else None,
        "goal_month_won_minor": row.month_won.minor if row.month_won else None,
        "attainment": round(percent, 1) if percent is not None else None,
        "remaining_minor": goal.remaining_minor if goal else None,
    }


def _owners(report: OwnersReport) -> dict[str, Any]:
    month = report.goal_month
    return {
        "owners": [_owner(row, month) for row in report.owners],
        "team": _owner(report.team, month),
    }


_BODIES: dict[type, Any] = {
    FunnelReport: _funnel,
    StagesReport: _stages,
    VelocityReport: _velocity,
    ForecastReport: _forecast,
    LossesReport: _losses,
    CohortsReport: _cohorts,
    OwnersReport: _owners,
}
