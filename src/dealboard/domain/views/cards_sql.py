"""A column's window of cards in one query: the deal, its owner, and its counts as subqueries.

`queries.deal_summaries` reads a whole board in a handful of grouped queries,
which is right when every deal is wanted. A window is a few dozen cards out of
perhaps tens of thousands: here each count (ticks, open objections, touches)
is a correlated subquery through an index, computed only for the rows the
LIMIT keeps, and only tags and BANT answers (several rows per deal) are read
apart, for all columns' windows at once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import Row, case, func, select
from sqlalchemy.orm import Session

from dealboard.db.models import (
    Activity,
    BantAnswer,
    ChecklistTick,
    Deal,
    DealTag,
    Objection,
    StageCriterion,
    User,
)
from dealboard.domain.queries import CARD_FIELDS, summary_of
from dealboard.domain.records import DealSummary, StageRecord
from dealboard.domain.touch_sql import DONE_TOUCH, TOUCH_IN_STAGE
from dealboard.domain.views.board_sql import Scope, window_of
from dealboard.vocabulary import BantItem, BantState, ObjectionStatus

_BANT_ORDER = list(BantItem)


#: What is counted about a card, each as a correlated subquery named as `DealSummary` names it.
_CARD_COUNTS = (
    select(func.count(ChecklistTick.id))
    .join(StageCriterion, StageCriterion.id == ChecklistTick.criterion_id)
    .where(ChecklistTick.deal_id == Deal.id, StageCriterion.stage_id == Deal.stage_id)
    .correlate(Deal)
    .scalar_subquery()
    .label("checklist_done"),
    select(func.count(Objection.id))
    .where(Objection.deal_id == Deal.id, Objection.status == ObjectionStatus.OPEN)
    .correlate(Deal)
    .scalar_subquery()
    .label("open_objections"),
    select(func.min(Activity.done_at))
    .where(Activity.deal_id == Deal.id, DONE_TOUCH)
    .correlate(Deal)
    .scalar_subquery()
    .label("first_touch_at"),
    select(func.max(func.coalesce(Activity.done_at, Activity.created_at)))
    .where(Activity.deal_id == Deal.id)
    .correlate(Deal)
    .scalar_subquery()
    .label("last_activity_at"),
    select(func.count(Activity.id))
    .where(Activity.deal_id == Deal.id, TOUCH_IN_STAGE)
    .correlate(Deal)
    .scalar_subquery()
    .label("touches_in_stage"),
    select(func.max(case((Activity.reached, 1), else_=0)))
    .where(Activity.deal_id == Deal.id, TOUCH_IN_STAGE)
    .correlate(Deal)
    .scalar_subquery()
    .label("reached_in_stage"),
)


def window_rows(session: Session, scope: Scope, stage_id: int, start: int, size: int) -> list[Row]:
    """Cards `start` … `start + size - 1` of a column, in the order shown.

    The window is picked by id first, the card's columns read for those ids only:
    PostgreSQL works out the whole select list of every row an OFFSET skips, and
    far down a column of 14,000 that was 100 ms of subqueries for nothing.
    """
    window = window_of(scope, stage_id, start, size).subquery()
    query = (
        select(*CARD_FIELDS, *_CARD_COUNTS)
        .select_from(Deal)
        .join(window, window.c.id == Deal.id)
        .join(User, User.id == Deal.owner_id)
        .order_by(Deal.position, Deal.id)
    )
    return list(session.execute(query))


def summaries(
    session: Session, scope: Scope, rows_by_stage: dict[int, list[Row]]
) -> dict[int, tuple[DealSummary, ...]]:
    """The rows of each column as cards, with tags and BANT read for all of them at once."""
    ids = [row[0] for rows in rows_by_stage.values() for row in rows]
    tags = _tags(session, ids)
    bant = _bant(session, ids)
    stages = {s.id: s for s in scope.pipeline.stages}
    return {
        stage_id: tuple(
            _summary(row, stages[stage_id], scope.pipeline.name, tags, bant) for row in rows
        )
        for stage_id, rows in rows_by_stage.items()
    }


def _tags(session: Session, ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    found: dict[int, list[str]] = defaultdict(list)
    if ids:
        query = select(DealTag.deal_id, DealTag.tag).where(DealTag.deal_id.in_(ids))
        for deal_id, tag in session.execute(query.order_by(DealTag.tag)):
            found[deal_id].append(tag)
    return {deal_id: tuple(tags) for deal_id, tags in found.items()}


#: A deal's BANT answers given so far, in B-A-N-T order.
Answers = tuple[tuple[BantItem, BantState], ...]


def _bant(session: Session, ids: Sequence[int]) -> dict[int, Answers]:
    found: dict[int, list[tuple[BantItem, BantState]]] = defaultdict(list)
    if ids:
        for deal_id, item, state in session.execute(
            select(BantAnswer.deal_id, BantAnswer.item, BantAnswer.state).where(
                BantAnswer.deal_id.in_(ids), BantAnswer.state != BantState.UNKNOWN
            )
        ):
            found[deal_id].append((item, state))
    return {
        deal_id: tuple(sorted(answers, key=lambda a: _BANT_ORDER.index(a[0])))
        for deal_id, answers in found.items()
    }


def _summary(
    row: Row,
    stage: StageRecord,
    pipeline: str,
    tags: dict[int, tuple[str, ...]],
    bant: dict[int, Answers],
) -> DealSummary:
    return summary_of(
        row,
        pipeline=pipeline,
        stage=stage.name,
        stage_kind=stage.kind,
        checklist_total=len(stage.criteria),
        reached_in_stage=bool(row.reached_in_stage),
        tags=tags.get(row.id, ()),
        bant=bant.get(row.id, ()),
    )
