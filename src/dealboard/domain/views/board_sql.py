"""The board's SQL: column sums as aggregates, card windows in column order, finding a card.

Each query costs what the screen shows, not what the board holds: the sums are
one GROUP BY over the (filtered) pipeline, a window is an indexed range of one
column, and finding a card counts the cards above it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from dealboard.db.models import Deal, Stage
from dealboard.domain.filter_sql import filtered
from dealboard.domain.filters import DealFilter
from dealboard.domain.records import PipelineRecord
from dealboard.vocabulary import StageKind


@dataclass(frozen=True)
class Scope:
    """The deals a board shows: one pipeline, through the user's filter, at one moment."""

    pipeline: PipelineRecord
    filter: DealFilter
    now: datetime
    #: The user `@me` stands for.
    me_id: int | None = None

    def deals(self, *columns: object) -> Select:
        """SELECT `columns` from the pipeline's deals that pass the filter."""
        query = (
            select(*columns)  # type: ignore[call-overload]
            .select_from(Deal)
            .join(Stage, Stage.id == Deal.stage_id)
            .where(Deal.pipeline_id == self.pipeline.id)
        )
        return filtered(query, self.filter, self.pipeline.stages, self.now, self.me_id)


@dataclass(frozen=True)
class ColumnSums:
    """How many deals a column holds and their value per currency."""

    count: int
    by_currency: dict[str, int]


def column_sums(
    session: Session, scope: Scope, stage_ids: Collection[int] | None = None
) -> dict[int, ColumnSums]:
    """Count and value per currency of every column (or just `stage_ids`), in one query."""
    query = scope.deals(
        Deal.stage_id, Deal.currency, func.count(Deal.id), func.sum(Deal.value_minor)
    ).group_by(Deal.stage_id, Deal.currency)
    if stage_ids is not None:
        query = query.where(Deal.stage_id.in_(sorted(stage_ids)))
    sums: dict[int, ColumnSums] = {}
    for stage_id, currency, count, total in session.execute(query):
        column = sums.setdefault(stage_id, ColumnSums(0, {}))
        sums[stage_id] = ColumnSums(
            column.count + count, {**column.by_currency, currency: int(total or 0)}
        )
    return sums


def stage_counts(session: Session, stage_ids: Collection[int]) -> dict[int, int]:
    """Every deal in each of these stages, through no filter: what a WIP limit counts."""
    if not stage_ids:
        return {}
    query = (
        select(Deal.stage_id, func.count(Deal.id))
        .where(Deal.stage_id.in_(sorted(stage_ids)))
        .group_by(Deal.stage_id)
    )
    counts = dict.fromkeys(stage_ids, 0)
    counts.update({stage_id: int(count) for stage_id, count in session.execute(query)})
    return counts


def window_of(scope: Scope, stage_id: int, start: int, size: int) -> Select:
    """The ids of cards `start` … `start + size - 1` of a column, in the order shown."""
    return (
        scope.deals(Deal.id)
        .where(Deal.stage_id == stage_id)
        .order_by(Deal.position, Deal.id)
        .offset(max(start, 0))
        .limit(size)
    )


def locate(session: Session, scope: Scope, deal_id: int) -> tuple[int, int] | None:
    """The column and place of a deal on this board, or None when it is not shown here."""
    found = session.execute(
        scope.deals(Deal.stage_id, Deal.position).where(Deal.id == deal_id)
    ).first()
    if found is None:
        return None
    stage_id, position = found
    above = session.scalar(
        scope.deals(func.count(Deal.id)).where(
            Deal.stage_id == stage_id,
            or_(Deal.position < position, and_(Deal.position == position, Deal.id < deal_id)),
        )
    )
    return stage_id, int(above or 0)


def stages_of(
    session: Session, pipeline: PipelineRecord, deal_ids: Iterable[int], stage_names: Iterable[str]
) -> set[int]:
    """The columns of `pipeline` that changes to these deals touched.

    Where the deals are now, plus the stages some of them left (by name, as the
    audit log records a move): a card that moved out shifts the cards below it.
    """
    ids = sorted(set(deal_ids))
    touched: set[int] = set()
    if ids:
        touched.update(
            session.scalars(
                select(Deal.stage_id)
                .where(Deal.id.in_(ids), Deal.pipeline_id == pipeline.id)
                .distinct()
            )
        )
    names = set(stage_names)
    touched.update(s.id for s in pipeline.stages if s.name in names)
    return touched


def open_deal_ids(session: Session, scope: Scope) -> list[int]:
    """Every open deal the board shows (all columns, not just the cards read), in column order."""
    query = scope.deals(Deal.id).where(Stage.kind == StageKind.OPEN)
    return list(session.scalars(query.order_by(Stage.position, Deal.position, Deal.id)))
