"""Why deals are lost: loss reasons tallied, by the stage they were lost from, and by month.

- **Lost deals**: deals lost now (a reopened deal is not) whose closing falls in
  the window; the pipeline's, owner's, tag's.
- **By reason**: every reason a person can choose, most frequent first (ties
  in the vocabulary's order), zeros included; `unknown` only if some imported
  deal carries it.
- **By stage lost from**: the open stage the deal left for Lost (its latest
  transition, the one into Lost), every open stage in pipeline order, zeros
  included; `(unknown)` when the history has no such transition. An imported
  loss counts at the stage its file named (that is data); one whose file named
  none was recorded as created lost and counts as `(unknown)`, and
  `not_measured` says how many of those there are. (How long any imported deal
  spent in its stage is not measured: see the time-in-stage report.)
- **By month**: the calendar month (the user's time zone) of closing, with the
  reasons of that month; months with losses only, then (month None) the deals
  lost with no closing date, which imported history may have.

Each tally carries its share of all lost deals and the lost value per currency.
One query: a row per lost deal (reason, stage lost from, month) folded by the
database into groups, then added up per breakdown.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealboard.db.models import Deal, StageTransition
from dealboard.domain.reports.figures import CurrencyTotal, Rate, add_into, totals
from dealboard.domain.reports.scope import ReportScope, deal_conditions, in_window, stage_ids
from dealboard.domain.reports.sql import instant_month
from dealboard.vocabulary import CHOOSABLE_LOSS_REASONS, LossReason, StageKind

#: Shown when no transition says where a lost deal came from.
UNKNOWN_STAGE = "(unknown)"


@dataclass(frozen=True)
class LossTally:
    """Deals lost for one reason, or from one stage: how many, what share, what value."""

    key: str
    lost: int
    share: Rate
    value: tuple[CurrencyTotal, ...]


@dataclass(frozen=True)
class LossMonth:
    """One month's losses and their reasons (most frequent first)."""

    #: The first day of the month; None for deals lost with no closing date (imported).
    month: date | None
    lost: int
    reasons: tuple[tuple[LossReason, int], ...]


@dataclass(frozen=True)
class LossesReport:
    """The lost deals of the window, broken down three ways."""

    scope: ReportScope
    lost: int
    value: tuple[CurrencyTotal, ...]
    by_reason: tuple[LossTally, ...]
    by_stage: tuple[LossTally, ...]
    by_month: tuple[LossMonth, ...]
    #: Imported lost deals whose file did not say the stage lost from: under `(unknown)`.
    not_measured: int = 0

    @property
    def imported_note(self) -> str | None:
        """The one line that says imported losses have no stage lost from; None if none."""
        if not self.not_measured:
            return None
        deals = (
            "1 imported deal" if self.not_measured == 1 else f"{self.not_measured:,} imported deals"
        )
        return f"{deals} lost from a stage the file did not say: counted under {UNKNOWN_STAGE}"


def build_losses(session: Session, scope: ReportScope) -> LossesReport:
    """Group the lost deals by reason, stage lost from, month and currency in one query."""
    # A lost deal's latest transition is the one that made it lost (one index seek each).
    lost_from = (
        select(StageTransition.from_stage_id)
        .where(StageTransition.deal_id == Deal.id)
        .order_by(StageTransition.at.desc(), StageTransition.id.desc())
        .limit(1)
        .correlate(Deal)
        .scalar_subquery()
    )
    per_deal = (
        select(
            Deal.loss_reason.label("reason"),
            lost_from.label("stage_id"),
            instant_month(Deal.closed_at, scope.zone, scope.utc_offset).label("month"),
            Deal.currency,
            Deal.value_minor,
            Deal.imported_at.is_not(None).label("imported"),
        )
        .where(
            *deal_conditions(scope),
            Deal.stage_id.in_(stage_ids(scope, StageKind.LOST)),
            *in_window(Deal.closed_at, scope),
        )
        .subquery("lost")
    )
    c = per_deal.c
    rows = session.execute(
        select(
            c.reason,
            c.stage_id,
            c.month,
            c.currency,
            c.imported,
            func.count(),
            func.sum(c.value_minor),
        ).group_by(c.reason, c.stage_id, c.month, c.currency, c.imported)
    ).all()
    stage_names = {s.id: s.name for s in scope.pipeline.stages}
    reasons: dict[str, dict[str, tuple[int, int]]] = {r.value: {} for r in CHOOSABLE_LOSS_REASONS}
    stages: dict[str, dict[str, tuple[int, int]]] = {s.name: {} for s in scope.open_stages}
    months: dict[str | None, Counter[LossReason]] = {}
    everything: dict[str, tuple[int, int]] = {}
    not_measured = 0
    for reason, stage_id, month, currency, imported, count, value in rows:
        reason = LossReason(reason) if reason is not None else LossReason.UNKNOWN
        stage = stage_names.get(stage_id, UNKNOWN_STAGE)
        if imported and stage_id is None:
            not_measured += count
        add_into(reasons.setdefault(reason.value, {}), currency, value, count)
        add_into(stages.setdefault(stage, {}), currency, value, count)
        add_into(everything, currency, value, count)
        months.setdefault(month, Counter())[reason] += count
    lost = sum(count for _, count in everything.values())
    order = {r.value: i for i, r in enumerate(LossReason)}
    by_reason = sorted(
        (_tally(key, sums, lost, scope.currency) for key, sums in reasons.items()),
        key=lambda t: (-t.lost, order[t.key]),
    )
    return LossesReport(
        scope=scope,
        lost=lost,
        value=totals(everything, scope.currency),
        by_reason=tuple(by_reason),
        by_stage=tuple(_tally(k, sums, lost, scope.currency) for k, sums in stages.items()),
        by_month=tuple(
            LossMonth(
                date(int(key[:4]), int(key[5:7]), 1) if key else None,
                sum(counter.values()),
                tuple(sorted(counter.items(), key=lambda rc: (-rc[1], order[rc[0].value]))),
            )
            for key, counter in sorted(months.items(), key=lambda kv: (kv[0] is None, kv[0] or ""))
        ),
        not_measured=not_measured,
    )


def _tally(key: str, sums: dict[str, tuple[int, int]], lost: int, main: str) -> LossTally:
    count = sum(n for _, n in sums.values())
    return LossTally(key, count, Rate(count, lost), totals(sums, main))
