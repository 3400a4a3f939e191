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
from dealboard.domain.records import DealSummary, StageRecord
from dealboard.domain.touch_sql import DONE_TOUCH, TOUCH_IN_STAGE
from dealboard.domain.views.board_sql import Scope
from dealboard.vocabulary import BantItem, BantState, ObjectionStatus

_BANT_ORDER = list(BantItem)


#: The card's own columns, then what is counted about it, in the order `_summary` reads them.
_CARD_COLUMNS = (
    Deal.id,
    Deal.title,
    Deal.account,
    Deal.contact,
    Deal.stage_id,
    User.name,
    User.display_name,
    Deal.value_minor,
    Deal.currency,
    Deal.contact_type,
    Deal.source,
    Deal.expected_close,
    Deal.next_step,
    Deal.next_step_due,
    Deal.position,
    Deal.stage_entered_at,
    Deal.created_at,
    Deal.closed_at,
    Deal.loss_reason,
    Deal.loss_note,
    Deal.version,
    Deal.imported_at,
    select(func.count(ChecklistTick.id))
    .join(StageCriterion, StageCriterion.id == ChecklistTick.criterion_id)
    .where(ChecklistTick.deal_id == Deal.id, StageCriterion.stage_id == Deal.stage_id)
    .correlate(Deal)
    .scalar_subquery(),
    select(func.count(Objection.id))
    .where(Objection.deal_id == Deal.id, Objection.status == ObjectionStatus.OPEN)
    .correlate(Deal)
    .scalar_subquery(),
    select(func.min(Activity.done_at))
    .where(Activity.deal_id == Deal.id, DONE_TOUCH)
    .correlate(Deal)
    .scalar_subquery(),
    select(func.max(func.coalesce(Activity.done_at, Activity.created_at)))
    .where(Activity.deal_id == Deal.id)
    .correlate(Deal)
    .scalar_subquery(),
    select(func.count(Activity.id))
    .where(Activity.deal_id == Deal.id, TOUCH_IN_STAGE)
    .correlate(Deal)
    .scalar_subquery(),
    select(func.max(case((Activity.reached, 1), else_=0)))
    .where(Activity.deal_id == Deal.id, TOUCH_IN_STAGE)
    .correlate(Deal)
    .scalar_subquery(),
)


def window_rows(session: Session, scope: Scope, stage_id: int, start: int, size: int) -> list[Row]:
    """Cards `start` … `start + size - 1` of a column, in the order shown.

    The window is picked by id first, the card's columns read for those ids only:
    PostgreSQL works out the whole select list of every row an OFFSET skips, and
    far down a column of 14,000 that was 100 ms of subqueries for nothing.
    """
    window = (
        scope.deals(Deal.id)
        .where(Deal.stage_id == stage_id)
        .order_by(Deal.position, Deal.id)
        .offset(max(start, 0))
        .limit(size)
        .subquery()
    )
    query = (
        select(*_CARD_COLUMNS)
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
    return DealSummary(
        id=row[0],
        title=row[1],
        account=row[2],
        contact=row[3],
        pipeline=pipeline,
        stage=stage.name,
        stage_id=row[4],
        stage_kind=stage.kind,
        owner=row[5],
        owner_display=row[6],
        value_minor=row[7],
        currency=row[8],
        contact_type=row[9],
        source=row[10],
        tags=tags.get(row[0], ()),
        expected_close=row[11],
        next_step=row[12],
        next_step_due=row[13],
        position=row[14],
        stage_entered_at=row[15],
        created_at=row[16],
        closed_at=row[17],
        loss_reason=row[18],
        loss_note=row[19],
        version=row[20],
        imported_at=row[21],
        checklist_done=row[22],
        checklist_total=len(stage.criteria),
        open_objections=row[23],
        first_touch_at=row[24],
        last_activity_at=row[25],
        touches_in_stage=row[26],
        reached_in_stage=bool(row[27]),
        bant=bant.get(row[0], ()),
    )
