"""Pipeline velocity: how fast value moves through, with each factor shown beside it.

    velocity per day = open deals × win rate × average won value ÷ average cycle length (days)

- **Open deals**: the deals open now (the pipeline's, owner's, tag's), whenever
  created: the pipeline the other factors are applied to.
- **Win rate**: won ÷ closed (won + lost), for deals closed in the window.
- **Average won value**: the mean value of the deals won in the window.
- **Average cycle length**: the mean time from creation to closing of those
  won deals (`n`: the ones with a closing date; imported history may lack it).

Money is never converted, so velocity is worked out per currency: that
currency's open deals and average won value, with the win rate and cycle
length of all currencies (they are counts and times, not money). A factor that
cannot be known (nothing closed, nothing won in that currency, a cycle of
zero) leaves velocity as None with the reason in `missing`; never a division by zero.

Two aggregate queries: open deals per currency; closed deals per kind and currency.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealboard.db.models import Deal
from dealboard.domain.reports.figures import (
    CurrencyTotal,
    Duration,
    Rate,
    add_into,
    currency_order,
    seconds,
)
from dealboard.domain.reports.scope import (
    ReportScope,
    deal_conditions,
    in_window,
    stage_ids,
    stage_kinds,
)
from dealboard.domain.reports.sql import seconds_between
from dealboard.vocabulary import StageKind

_DAY = 86_400


@dataclass(frozen=True)
class CurrencyVelocity:
    """Velocity in one currency, and the two factors that are money."""

    currency: str
    open_deals: int
    #: The deals won in the window in this currency (average = `average_minor`).
    won_value: CurrencyTotal
    #: Minor units per day; None when a factor is unknown (see `missing`).
    per_day_minor: int | None
    missing: str | None = None


@dataclass(frozen=True)
class VelocityReport:
    """The shared factors, and one velocity row per currency."""

    scope: ReportScope
    open_deals: int
    win_rate: Rate
    avg_cycle: Duration
    currencies: tuple[CurrencyVelocity, ...]


def build_velocity(session: Session, scope: ReportScope) -> VelocityReport:
    """Open deals now, closed deals of the window; the arithmetic per currency."""
    conditions = deal_conditions(scope)
    open_by_currency: dict[str, int] = dict(
        session.execute(
            select(Deal.currency, func.count(Deal.id))
            .where(*conditions, Deal.stage_id.in_(stage_ids(scope, StageKind.OPEN)))
            .group_by(Deal.currency)
        ).all()
    )
    closed = session.execute(
        select(
            Deal.stage_id,
            Deal.currency,
            func.count(Deal.id),
            func.sum(Deal.value_minor),
            func.sum(seconds_between(Deal.created_at, Deal.closed_at)),
            func.count(Deal.closed_at),
        )
        .where(
            *conditions,
            Deal.stage_id.in_(stage_ids(scope, StageKind.WON, StageKind.LOST)),
            *in_window(Deal.closed_at, scope),
        )
        .group_by(Deal.stage_id, Deal.currency)
    ).all()
    kinds = stage_kinds(scope)
    won: dict[str, tuple[int, int]] = {}
    lost = 0
    cycle_seconds, cycles = 0.0, 0
    for stage_id, currency, count, value, cycle, dated in closed:
        if kinds[stage_id] is StageKind.WON:
            add_into(won, currency, value, count)
            cycle_seconds += float(cycle or 0)
            cycles += dated
        else:
            lost += count
    won_count = sum(count for _, count in won.values())
    win_rate = Rate(won_count, won_count + lost)
    avg_cycle = Duration(seconds(cycle_seconds / cycles) if cycles else None, cycles)
    rows = tuple(
        _row(
            code,
            open_by_currency.get(code, 0),
            CurrencyTotal(code, *won.get(code, (0, 0))),
            win_rate,
            avg_cycle.value,
        )
        for code in currency_order([*open_by_currency, *won], scope.currency)
    )
    return VelocityReport(
        scope=scope,
        open_deals=sum(open_by_currency.values()),
        win_rate=win_rate,
        avg_cycle=avg_cycle,
        currencies=rows,
    )


def _row(
    currency: str,
    open_deals: int,
    won_value: CurrencyTotal,
    win_rate: Rate,
    cycle: timedelta | None,
) -> CurrencyVelocity:
    missing = None
    if not win_rate.n:
        missing = "no deal was closed in the window"
    elif not win_rate.hits:
        missing = "no deal was won in the window"
    elif not won_value.count:
        missing = f"no {currency} deal was won in the window"
    elif cycle is None:
        missing = "no won deal has a closing date"
    elif cycle.total_seconds() <= 0:
        missing = "the average cycle length is zero"
    if missing is not None:
        return CurrencyVelocity(currency, open_deals, won_value, None, missing)
    fraction = win_rate.hits / win_rate.n
    average = won_value.total_minor / won_value.count
    assert cycle is not None
    per_day = open_deals * fraction * average * _DAY / cycle.total_seconds()
    return CurrencyVelocity(currency, open_deals, won_value, round(per_day))
