"""Reports: the manager's questions answered with a few SQL aggregates each.

`REPORTS` names every report; `Board.report(name, pipeline=…, since=…,
until=…, owner=…, tag=…)` runs one and returns its typed result, a frozen
dataclass carrying the `ReportScope` it was asked for. Each module's docstring
defines its figures and which instant of a deal the window is held against:

| report   | result            | the window selects                          |
| -------- | ----------------- | ------------------------------------------- |
| funnel   | `FunnelReport`    | deals created in it                         |
| stages   | `StagesReport`    | stays that ended in it (ongoing ones: now)  |
| velocity | `VelocityReport`  | deals closed in it (open deals: now)        |
| forecast | `ForecastReport`  | expected-close months (default: from now)   |
| losses   | `LossesReport`    | deals lost in it                            |
| cohorts  | `CohortsReport`   | deals created in it                         |
| owners   | `OwnersReport`    | deals closed, touches done, leads created   |
| change   | `ChangeReport`    | not windowed: before vs after a revision    |

Shared rules: the window is unbounded unless given (the forecast starts at
this month); money is per currency in minor units, never converted; every rate
is a `Rate` carrying its sample size; durations are `timedelta`. No report
loops over deals in Python: each is two to four grouped queries, under a second
at 100,000 deals on SQLite (`tests/benchmarks/reports.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from dealboard.domain.reports.change import ChangeReport, StageChange, build_change
from dealboard.domain.reports.cohorts import (
    Cohort,
    CohortsReport,
    CohortStats,
    TagCohort,
    build_cohorts,
)
from dealboard.domain.reports.figures import CurrencyTotal, Duration, Rate
from dealboard.domain.reports.forecast import (
    BucketKind,
    ForecastAmount,
    ForecastBucket,
    ForecastReport,
    build_forecast,
)
from dealboard.domain.reports.funnel import FunnelReport, FunnelStep, build_funnel
from dealboard.domain.reports.losses import LossesReport, LossMonth, LossTally, build_losses
from dealboard.domain.reports.owners import OwnerRow, OwnersReport, build_owners
from dealboard.domain.reports.scope import ReportFilters, ReportScope
from dealboard.domain.reports.sql import MedianP90
from dealboard.domain.reports.stages import StagesReport, StageTime, build_stages
from dealboard.domain.reports.velocity import CurrencyVelocity, VelocityReport, build_velocity

Report = (
    FunnelReport
    | StagesReport
    | VelocityReport
    | ForecastReport
    | LossesReport
    | CohortsReport
    | OwnersReport
    | ChangeReport
)
R = TypeVar("R", bound=Report)


@dataclass(frozen=True)
class ReportSpec(Generic[R]):
    """A report's name, what it answers, what its window means, and how to build it."""

    name: str
    title: str
    question: str
    window: str
    result: type[R]
    build: Callable[[Session, ReportScope], R]


#: Every report by name, in the order a menu lists them.
REPORTS: dict[str, ReportSpec] = {
    spec.name: spec
    for spec in (
        ReportSpec(
            "funnel",
            "Funnel",
            "how far deals get: stage-to-stage conversion from the stage history",
            "deals created in the window",
            FunnelReport,
            build_funnel,
        ),
        ReportSpec(
            "stages",
            "Time in stage",
            "where deals stall: median and 90th percentile time in each stage",
            "stays that ended in the window; ongoing stays up to now",
            StagesReport,
            build_stages,
        ),
        ReportSpec(
            "velocity",
            "Velocity",
            "how fast value moves: open deals × win rate × average won value ÷ cycle",
            "deals closed in the window; open deals now",
            VelocityReport,
            build_velocity,
        ),
        ReportSpec(
            "forecast",
            "Forecast",
            "what should close when: weighted and best case by expected close month",
            "expected-close months from this month (or since) to until",
            ForecastReport,
            build_forecast,
        ),
        ReportSpec(
            "losses",
            "Losses",
            "why we lose: loss reasons, the stage lost from, and by month",
            "deals lost in the window",
            LossesReport,
            build_losses,
        ),
        ReportSpec(
            "cohorts",
            "Sources and cohorts",
            "which source or tag closes better: win rate, cycle and value per group",
            "deals created in the window",
            CohortsReport,
            build_cohorts,
        ),
        ReportSpec(
            "owners",
            "Owners",
            "who sells: won value, win rate, touches and SLA compliance per owner",
            "deals closed, touches done and leads created in the window",
            OwnersReport,
            build_owners,
        ),
        ReportSpec(
            "change",
            "Change",
            "did the change work: before vs after the pipeline's latest revision",
            "not windowed: before vs after the revision",
            ChangeReport,
            build_change,
        ),
    )
}
__all__ = [
    "REPORTS",
    "BucketKind",
    "ChangeReport",
    "Cohort",
    "CohortStats",
    "CohortsReport",
    "CurrencyTotal",
    "CurrencyVelocity",
    "Duration",
    "ForecastAmount",
    "ForecastBucket",
    "ForecastReport",
    "FunnelReport",
    "FunnelStep",
    "LossMonth",
    "LossTally",
    "LossesReport",
    "MedianP90",
    "OwnerRow",
    "OwnersReport",
    "Rate",
    "Report",
    "ReportFilters",
    "ReportScope",
    "ReportSpec",
    "StageChange",
    "StageTime",
    "StagesReport",
    "TagCohort",
    "VelocityReport",
]
