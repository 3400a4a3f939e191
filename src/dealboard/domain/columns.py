"""Stage columns as a board shows them: the deals of each stage and their sums.

Totals are kept per currency. A board holds deals in several currencies and
dealboard has no exchange rates, so adding £ to $ would print a number that
is simply wrong in front of a whole sales team; instead a header reads
`$414.8k + £180k`, pipeline currency first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from dealboard.domain.money import format_compact
from dealboard.domain.records import DealSummary, PipelineRecord, StageRecord
from dealboard.vocabulary import StageKind


@dataclass(frozen=True)
class Money:
    """An amount in minor units of one currency."""

    minor: int
    currency: str

    def compact(self) -> str:
        return format_compact(self.minor, self.currency)


@dataclass(frozen=True)
class Column:
    """One stage of the board with its deals in column order."""

    stage: StageRecord
    deals: tuple[DealSummary, ...]
    totals: tuple[Money, ...]
    weighted: tuple[Money, ...]

    @property
    def is_open(self) -> bool:
        return self.stage.kind is StageKind.OPEN

    def totals_text(self) -> str:
        return join_money(self.totals)

    def weighted_text(self) -> str:
        return join_money(self.weighted)


def join_money(amounts: Sequence[Money], width: int | None = None) -> str:
    """`$12k + €3k`: one compact amount per currency, abbreviated to fit `width` cells.

    A total is never cut (`$667.7k + €1…` reads as a different number): it is
    rounded to fewer significant digits instead, `$668k + €12k`.
    """
    shown = " + ".join(m.compact() for m in amounts)
    for digits in (3, 2):  # one digit ($700k for $667.7k) would mislead
        if width is None or len(shown) <= width:
            break
        shown = " + ".join(format_compact(m.minor, m.currency, digits) for m in amounts)
    return shown


def sum_by_currency(
    deals: Iterable[DealSummary], main_currency: str, percent: int = 100
) -> tuple[Money, ...]:
    """Sums per currency, the pipeline's own currency first, others alphabetical.

    An empty column still sums to zero in the pipeline currency, so headers read `$0`.
    """
    sums: dict[str, int] = {}
    for deal in deals:
        sums[deal.currency] = sums.get(deal.currency, 0) + deal.value_minor
    return money_by_currency(sums, main_currency, percent)


def money_by_currency(
    sums: Mapping[str, int], main_currency: str, percent: int = 100
) -> tuple[Money, ...]:
    """Sums already added up per currency (by SQL, say), in the order a header shows them."""
    shown = {main_currency: 0, **sums}
    if len(shown) > 1 and not shown[main_currency]:
        del shown[main_currency]
    order = sorted(shown, key=lambda code: (code != main_currency, code))
    return tuple(Money(shown[code] * percent // 100, code) for code in order)


def board_columns(pipeline: PipelineRecord, deals: Iterable[DealSummary]) -> list[Column]:
    """Every stage of the pipeline, open and closed, each with its deals by position."""
    by_stage: dict[int, list[DealSummary]] = {s.id: [] for s in pipeline.stages}
    for deal in deals:
        if deal.stage_id in by_stage:
            by_stage[deal.stage_id].append(deal)
    columns = []
    for stage in pipeline.stages:
        members = tuple(sorted(by_stage[stage.id], key=lambda d: (d.position, d.id)))
        columns.append(
            Column(
                stage=stage,
                deals=members,
                totals=sum_by_currency(members, pipeline.currency),
                weighted=sum_by_currency(members, pipeline.currency, stage.probability),
            )
        )
    return columns


def days_in_stage(deal: DealSummary, today: date) -> int:
    """Whole days since the deal entered its stage, in the user's local calendar."""
    return max(0, (today - deal.stage_entered_at.astimezone().date()).days)


def next_step_overdue(deal: DealSummary, today: date) -> bool:
    """An open deal whose next step date has passed."""
    return (
        deal.stage_kind is StageKind.OPEN
        and deal.next_step_due is not None
        and deal.next_step_due < today
    )


def checklist_progress(deal: DealSummary) -> str:
    """`2/4` for an open deal with criteria, empty otherwise."""
    if deal.stage_kind is not StageKind.OPEN or not deal.checklist_total:
        return ""
    return f"{deal.checklist_done}/{deal.checklist_total}"
