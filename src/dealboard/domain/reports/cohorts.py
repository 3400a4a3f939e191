"""Sources and cohorts: which lead source or tag (a promotion, a campaign) closes better.

Over the deals created in the window (the pipeline's, owner's, tag's), for each
group:

- **deals**: created in the window; **closed**: of those, won or lost now;
  **won**: won now.
- **win rate**: won ÷ closed, with both counts (a rate is never shown without
  its sample size).
- **average cycle**: the mean time from creation to closing of the won deals
  (n = won deals with a closing date; imported history may lack it).
- **won value**: per currency, the total, count and average value of the won deals.

Groups:

- **by source**: the deal's source as typed; `(none)` when empty.
- **by tag**: every tag, as *with the tag* against *without it* (every other
  deal in scope), so "deals offered the promotion versus not" is one row:
  `#promo` and its counterpart. A deal with several tags is in each of its
  tags' groups.
- **untagged**: deals with no tag at all.

Two aggregate queries, grouped by currency: by source and having any tag (which
also gives all deals and the untagged ones), and by tag; "without the tag" is
all deals minus the tag's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from dealboard.db.models import Deal, DealTag
from dealboard.domain.reports.figures import CurrencyTotal, Duration, Rate, seconds, totals
from dealboard.domain.reports.scope import ReportScope, deal_conditions, in_window, stage_ids
from dealboard.domain.reports.sql import seconds_between
from dealboard.vocabulary import StageKind

#: The source group of deals whose source was left empty.
NO_SOURCE = "(none)"


@dataclass(frozen=True)
class CohortStats:
    """One group's deals, outcomes, cycle and won value."""

    deals: int
    closed: int
    won: int
    win_rate: Rate
    avg_cycle: Duration
    won_value: tuple[CurrencyTotal, ...]


@dataclass(frozen=True)
class Cohort:
    """A lead source and its figures."""

    key: str
    stats: CohortStats


@dataclass(frozen=True)
class TagCohort:
    """A tag: the deals carrying it against every other deal in scope."""

    tag: str
    with_tag: CohortStats
    without_tag: CohortStats


@dataclass(frozen=True)
class CohortsReport:
    """All deals of the window, then by source and by tag."""

    scope: ReportScope
    all: CohortStats
    by_source: tuple[Cohort, ...]
    by_tag: tuple[TagCohort, ...]
    untagged: CohortStats


@dataclass
class _Sums:
    """Additive counts of a group, so "without" can be "all minus with"."""

    deals: int = 0
    closed: int = 0
    won: int = 0
    cycle_seconds: float = 0.0
    cycles: int = 0
    won_value: dict[str, tuple[int, int]] = field(default_factory=dict)

    def add(self, row: Sequence[Any], sign: int = 1) -> None:
        currency, deals, closed, won, value, cycle, dated = row
        self.deals += sign * int(deals or 0)
        self.closed += sign * int(closed or 0)
        self.won += sign * int(won or 0)
        self.cycle_seconds += sign * float(cycle or 0)
        self.cycles += sign * int(dated or 0)
        total, count = self.won_value.get(currency, (0, 0))
        self.won_value[currency] = (total + sign * int(value or 0), count + sign * int(won or 0))

    def minus(self, rows: Iterable[Sequence[Any]]) -> _Sums:
        rest = _Sums(
            self.deals,
            self.closed,
            self.won,
            self.cycle_seconds,
            self.cycles,
            dict(self.won_value),
        )
        for row in rows:
            rest.add(row, sign=-1)
        return rest

    def stats(self, main: str) -> CohortStats:
        cycle = seconds(self.cycle_seconds / self.cycles) if self.cycles else None
        return CohortStats(
            deals=self.deals,
            closed=self.closed,
            won=self.won,
            win_rate=Rate(self.won, self.closed),
            avg_cycle=Duration(cycle, self.cycles),
            won_value=totals(self.won_value, main),
        )


def _figures(scope: ReportScope, *keys: Any) -> tuple[Any, ...]:
    """The grouped counts and sums of `_Sums.add`, after the `keys` columns."""
    won = Deal.stage_id.in_(stage_ids(scope, StageKind.WON))
    closed = Deal.stage_id.in_(stage_ids(scope, StageKind.WON, StageKind.LOST))
    return (
        *keys,
        Deal.currency,
        func.count(Deal.id),
        func.count(case((closed, Deal.id))),
        func.count(case((won, Deal.id))),
        func.sum(case((won, Deal.value_minor), else_=0)),
        func.sum(case((won, seconds_between(Deal.created_at, Deal.closed_at)), else_=0)),
        func.count(case((won, Deal.closed_at))),
    )


def build_cohorts(session: Session, scope: ReportScope) -> CohortsReport:
    """Group the window's deals by source and having a tag, then by tag."""
    conditions = [*deal_conditions(scope), *in_window(Deal.created_at, scope)]
    main = scope.currency
    tagged = Deal.id.in_(select(DealTag.deal_id))
    has_tag = case((tagged, 1), else_=0)
    everything, untagged = _Sums(), _Sums()
    sources: dict[str, _Sums] = {}
    for source, has_any, *row in session.execute(
        select(*_figures(scope, Deal.source, has_tag))
        .where(*conditions)
        .group_by(Deal.source, has_tag, Deal.currency)
    ):
        everything.add(row)
        if not has_any:
            untagged.add(row)
        sources.setdefault(source or NO_SOURCE, _Sums()).add(row)
    tag_rows: dict[str, list[Sequence[Any]]] = {}
    for tag, *row in session.execute(
        select(*_figures(scope, DealTag.tag))
        .join(DealTag, DealTag.deal_id == Deal.id)
        .where(*conditions)
        .group_by(DealTag.tag, Deal.currency)
    ):
        tag_rows.setdefault(tag, []).append(row)
    by_tag = []
    for tag, rows in tag_rows.items():
        with_tag = _Sums()
        for row in rows:
            with_tag.add(row)
        by_tag.append(TagCohort(tag, with_tag.stats(main), everything.minus(rows).stats(main)))
    return CohortsReport(
        scope=scope,
        all=everything.stats(main),
        by_source=tuple(
            sorted(
                (Cohort(key, sums.stats(main)) for key, sums in sources.items()),
                key=lambda c: (-c.stats.deals, c.key.casefold()),
            )
        ),
        by_tag=tuple(sorted(by_tag, key=lambda t: (-t.with_tag.deals, t.tag))),
        untagged=untagged.stats(main),
    )
