"""The stand-up's forecast: this month and next, per currency, against an optional monthly target.

The open pipeline comes from the forecast report (`dealboard.domain.reports.forecast`),
read once per pipeline for this month and next and added up: for each month and
currency, over the open deals whose expected close date falls in that month,

- **weighted**: Σ value × the stage's probability ÷ 100 (rounded down to the cent);
- **best case** (`open_value`): Σ value, as if every one of them closed;

and the stand-up adds

- **won**: Σ value of the deals closed as won this month so far;
- **projected** = won + weighted, the number held against the **target**.

The **target** is the team's stored goal for this month (`dealboard.domain.goals`), unless a
target was typed for this one stand-up (`dealboard standup --target`). Beside it, the
month's goals of each owner and the team with their attainment (won ÷ goal), as
`dealboard goal list` shows them.

Currencies are never converted: a target in USD is held only against USD deals.
Open deals whose close date has already passed (**slipped**, the report's
*overdue*) and those without one (**undated**) are counted beside the months.
Pure: the reports' results, the won totals and the target in, a forecast out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from dealboard.domain.errors import InvalidInput
from dealboard.domain.goals import MonthGoals
from dealboard.domain.money import Money, parse_money
from dealboard.domain.reports.forecast import BucketKind, ForecastReport


@dataclass(frozen=True)
class MonthForecast:
    """One month in one currency."""

    month: date
    currency: str
    deals: int = 0
    weighted_minor: int = 0
    open_value_minor: int = 0
    won_minor: int = 0
    won_deals: int = 0

    @property
    def projected_minor(self) -> int:
        """What the month is expected to bring: won so far plus the weighted pipeline."""
        return self.won_minor + self.weighted_minor

    @property
    def best_case_minor(self) -> int:
        """Won so far plus every open deal of the month."""
        return self.won_minor + self.open_value_minor

    def percent_of(self, target: Money | None) -> float | None:
        """Projected as a share of the target (same currency only), 0–∞; else None."""
        if target is None or target.currency != self.currency or target.minor <= 0:
            return None
        return 100 * self.projected_minor / target.minor


@dataclass(frozen=True)
class Slipped:
    """Open deals whose expected close date has passed, in one currency."""

    currency: str
    deals: int
    value_minor: int


@dataclass(frozen=True)
class Forecast:
    """This month and next; `rows` by month, then currency (the target's first)."""

    months: tuple[date, date]
    rows: tuple[MonthForecast, ...]
    target: Money | None
    slipped: tuple[Slipped, ...] = ()
    undated: int = 0
    #: This month's goals with their attainment (None: not read).
    goals: MonthGoals | None = None
    #: Whether `target` is the team's stored goal (else typed for this stand-up, or none).
    target_is_goal: bool = False

    def month(self, month: date) -> tuple[MonthForecast, ...]:
        """The rows of one month."""
        return tuple(r for r in self.rows if r.month == month)

    def target_for(self, row: MonthForecast) -> Money | None:
        """What `row` is held against: a typed target every month; the team's goal only
        this month (it is this month's)."""
        if self.target_is_goal and row.month != self.months[0]:
            return None
        return self.target


def month_start(day: date) -> date:
    """The first day of `day`'s month."""
    return day.replace(day=1)


def next_month(day: date) -> date:
    """The first day of the month after `day`'s."""
    first = month_start(day)
    return (
        first.replace(year=first.year + 1, month=1)
        if first.month == 12
        else first.replace(month=first.month + 1)
    )


def parse_target(text: str | None, currency: str) -> Money | None:
    """A monthly target as typed (`250k`, `EUR 90,000`); empty means none."""
    if text is None or not text.strip():
        return None
    target = parse_money(text, currency, field="target")
    if target.minor <= 0:
        raise InvalidInput("target", text, "give an amount above zero, or nothing for no target")
    return target


def choose_target(typed: Money | None, goals: MonthGoals, currency: str) -> Money | None:
    """The target typed for this stand-up, else the team's goal (in `currency` if it has one)."""
    if typed is not None:
        return typed
    team = goals.team_goal(currency)
    return team.goal.amount if team is not None else None


def forecast_until(today: date) -> datetime:
    """The end of next month, local midnight: the forecast report's `until` for the stand-up."""
    return datetime.combine(next_month(next_month(today)), time.min).astimezone()


def build_forecast(
    reports: Iterable[ForecastReport],
    won_this_month: Mapping[str, tuple[int, int]],
    *,
    today: date,
    target: Money | None,
    currencies: Iterable[str] = (),
    goals: MonthGoals | None = None,
) -> Forecast:
    """Add up the pipelines' forecast reports; `won_this_month` maps currency → (deals, value).

    `currencies` are always shown (the pipelines' own, main first), even with nothing in them.
    """
    this, following = month_start(today), next_month(today)
    tallies: dict[tuple[date, str], list[int]] = {}
    slipped: dict[str, list[int]] = {}
    undated = 0
    wanted = [*([target.currency] if target else []), *currencies]
    for report in reports:
        for bucket in report.buckets:
            for amount in bucket.amounts:
                if bucket.kind is BucketKind.NO_DATE:
                    undated += amount.deals
                elif bucket.kind is BucketKind.OVERDUE:
                    total = slipped.setdefault(amount.currency, [0, 0])
                    total[0] += amount.deals
                    total[1] += amount.best_case_minor
                elif bucket.month in (this, following):
                    row = tallies.setdefault((bucket.month, amount.currency), [0, 0, 0])
                    row[0] += amount.deals
                    row[1] += amount.weighted_minor
                    row[2] += amount.best_case_minor
    for month in (this, following):
        for currency in [*wanted, *won_this_month]:
            tallies.setdefault((month, currency), [0, 0, 0])
    order = {c: i for i, c in enumerate(dict.fromkeys(wanted))}
    rows = []
    for (month, currency), (deals, weighted, best) in sorted(
        tallies.items(), key=lambda item: (item[0][0], order.get(item[0][1], 99), item[0][1])
    ):
        won_deals, won = won_this_month.get(currency, (0, 0)) if month == this else (0, 0)
        rows.append(MonthForecast(month, currency, deals, weighted, best, won, won_deals))
    return Forecast(
        (this, following),
        tuple(rows),
        target,
        tuple(Slipped(c, n, v) for c, (n, v) in sorted(slipped.items())),
        undated,
        goals,
        target is not None and goals is not None and _is_team_goal(target, goals),
    )


def _is_team_goal(target: Money, goals: MonthGoals) -> bool:
    team = goals.team_goal(target.currency)
    return team is not None and team.goal.amount == target
