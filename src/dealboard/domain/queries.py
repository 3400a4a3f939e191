"""Reading the board: a whole column set in a few queries, never one query per card."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from dealboard.db.models import (
    Activity,
    AuditEntry,
    BantAnswer,
    Change,
    ChecklistTick,
    Deal,
    DealTag,
    Objection,
    Pipeline,
    ResearchNotes,
    Stage,
    StageCriterion,
    StageTransition,
    Stakeholder,
    User,
)
from dealboard.domain import audit, repeat_deal
from dealboard.domain.records import (
    ActivityRecord,
    AuditRecord,
    BantRecord,
    ChecklistItem,
    DealDetail,
    DealSummary,
    ObjectionRecord,
    PipelineRecord,
    ResearchRecord,
    StageRecord,
    StakeholderRecord,
    TransitionRecord,
)
from dealboard.domain.stage_limits import wip_of
from dealboard.domain.touch_sql import DONE_TOUCH, TOUCH_IN_STAGE
from dealboard.vocabulary import BantItem, BantState, ObjectionStatus, StageKind


def pipeline_record(pipeline: Pipeline) -> PipelineRecord:
    """Plain copy of a loaded pipeline with its stages and criteria."""
    first_open = next((s for s in pipeline.stages if s.kind is StageKind.OPEN), None)
    stages = tuple(
        StageRecord(
            s.id,
            s.name,
            s.position,
            s.kind,
            s.probability,
            s.rot_days,
            tuple(c.text for c in s.criteria),
            *_cadence(s, pipeline, is_first=s is first_open),
            pipeline.speed_to_lead_minutes,
            wip=wip_of(s.wip_max, s.wip_hard),
        )
        for s in pipeline.stages
    )
    return PipelineRecord(
        pipeline.id,
        pipeline.name,
        pipeline.title,
        pipeline.description,
        pipeline.currency,
        stages,
        pipeline.speed_to_lead_minutes,
    )


def _cadence(stage: Stage, pipeline: Pipeline, *, is_first: bool) -> tuple[int | None, int | None]:
    """The attempts-within-days rule for an open stage: its own, else the pipeline's follow-up.

    The pipeline's follow-up rule is about new leads, so only the first stage inherits it;
    later stages count attempts only when the file gives them a cadence of their own.
    """
    if stage.kind is not StageKind.OPEN:
        return None, None
    if stage.cadence_attempts is not None:
        return stage.cadence_attempts, stage.cadence_days
    if is_first:
        return pipeline.follow_up_attempts, pipeline.follow_up_days
    return None, None


def all_pipelines(session: Session) -> Sequence[Pipeline]:
    """Every pipeline with stages and criteria loaded, in creation order."""
    return session.scalars(
        select(Pipeline)
        .order_by(Pipeline.id)
        .options(selectinload(Pipeline.stages).selectinload(Stage.criteria))
    ).all()


#: A deal's own fields as a card shows them, named as `DealSummary` names them and
#: selected as plain values (no ORM identity map: a board of 10,000 cards loads
#: several times faster this way). Queries add what they know of stage and pipeline.
CARD_FIELDS = (
    Deal.id,
    Deal.title,
    Deal.account,
    Deal.contact,
    Deal.stage_id,
    User.name.label("owner"),
    User.display_name.label("owner_display"),
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
    Deal.updated_at,
)


def summary_of(row: Row, **rest: Any) -> DealSummary:
    """A card from a row of `CARD_FIELDS` (and whatever else it named), plus `rest`."""
    return DealSummary(**{**row._mapping, **rest})


def _summary_query(*conditions: ColumnElement[bool]) -> Select:
    return (
        select(
            *CARD_FIELDS,
            Pipeline.name.label("pipeline"),
            Stage.name.label("stage"),
            Stage.kind.label("stage_kind"),
        )
        .join(Stage, Stage.id == Deal.stage_id)
        .join(User, User.id == Deal.owner_id)
        .join(Pipeline, Pipeline.id == Deal.pipeline_id)
        .where(*conditions)
        .order_by(Stage.position, Deal.position, Deal.id)
    )


def deal_summaries(session: Session, *conditions: ColumnElement[bool]) -> list[DealSummary]:
    """Every deal matching `conditions`, with checklist progress, objections and tags.

    Four queries whatever the number of deals: the deals, then ticks, open
    objections and tags counted for the same set, joined up in Python.
    """
    rows = session.execute(_summary_query(*conditions)).all()
    if not rows:
        return []
    matching = select(Deal.id).join(Stage, Stage.id == Deal.stage_id).where(*conditions)
    done = dict(
        session.execute(
            select(ChecklistTick.deal_id, func.count(ChecklistTick.id))
            .join(StageCriterion, StageCriterion.id == ChecklistTick.criterion_id)
            .join(Deal, Deal.id == ChecklistTick.deal_id)
            .where(StageCriterion.stage_id == Deal.stage_id, ChecklistTick.deal_id.in_(matching))
            .group_by(ChecklistTick.deal_id)
        ).all()
    )
    totals = dict(
        session.execute(
            select(StageCriterion.stage_id, func.count(StageCriterion.id)).group_by(
                StageCriterion.stage_id
            )
        ).all()
    )
    objections = dict(
        session.execute(
            select(Objection.deal_id, func.count(Objection.id))
            .where(Objection.status == ObjectionStatus.OPEN, Objection.deal_id.in_(matching))
            .group_by(Objection.deal_id)
        ).all()
    )
    touches = _touch_stats(session, matching)
    bant: dict[int, list[tuple[BantItem, BantState]]] = defaultdict(list)
    for deal_id, item, state in session.execute(
        select(BantAnswer.deal_id, BantAnswer.item, BantAnswer.state).where(
            BantAnswer.deal_id.in_(matching), BantAnswer.state != BantState.UNKNOWN
        )
    ):
        bant[deal_id].append((item, state))
    tags: dict[int, list[str]] = defaultdict(list)
    for deal_id, tag in session.execute(
        select(DealTag.deal_id, DealTag.tag)
        .where(DealTag.deal_id.in_(matching))
        .order_by(DealTag.tag)
    ):
        tags[deal_id].append(tag)
    return [
        summary_of(
            row,
            tags=tuple(tags.get(row.id, ())),
            checklist_done=done.get(row.id, 0),
            checklist_total=totals.get(row.stage_id, 0),
            open_objections=objections.get(row.id, 0),
            bant=tuple(sorted(bant.get(row.id, ()), key=lambda a: _BANT_ORDER.index(a[0]))),
            **touches.get(row.id, {}),
        )
        for row in rows
    ]


_BANT_ORDER = list(BantItem)


def _touch_stats(session: Session, matching: Select) -> dict[int, dict[str, object]]:
    """Per deal: first touch, latest activity, touches in the current stage, reached or not.

    A touch is a done activity other than a note; one grouped query for all deals.
    """
    done_touch, in_stage = DONE_TOUCH, TOUCH_IN_STAGE
    rows = session.execute(
        select(
            Activity.deal_id,
            func.min(case((done_touch, Activity.done_at))),
            func.max(func.coalesce(Activity.done_at, Activity.created_at)),
            func.count(case((in_stage, Activity.id))),
            func.max(case((in_stage & Activity.reached, 1), else_=0)),
        )
        .join(Deal, Deal.id == Activity.deal_id)
        .where(Activity.deal_id.in_(matching))
        .group_by(Activity.deal_id)
    ).all()
    return {
        deal_id: {
            "first_touch_at": first,
            "last_activity_at": last,
            "touches_in_stage": count,
            "reached_in_stage": bool(reached),
        }
        for deal_id, first, last, count, reached in rows
    }


def list_conditions(
    *,
    pipeline_id: int | None,
    stage_id: int | None,
    owner_id: int | None,
    include_closed: bool,
) -> list[ColumnElement[bool]]:
    """The filters of `deal list`: open deals unless a stage or `--all` says otherwise."""
    conditions: list[ColumnElement[bool]] = []
    if pipeline_id is not None:
        conditions.append(Deal.pipeline_id == pipeline_id)
    if stage_id is not None:
        conditions.append(Deal.stage_id == stage_id)
    elif not include_closed:
        conditions.append(Stage.kind == StageKind.OPEN)
    if owner_id is not None:
        conditions.append(Deal.owner_id == owner_id)
    return conditions


def sla_conditions(
    *, pipeline_id: int | None, since: datetime, until: datetime
) -> list[ColumnElement[bool]]:
    """The deals the SLA report reads: every open one, and any created in the window."""
    conditions: list[ColumnElement[bool]] = [
        or_(
            Stage.kind == StageKind.OPEN,
            and_(Deal.created_at >= since, Deal.created_at < until),
        )
    ]
    if pipeline_id is not None:
        conditions.append(Deal.pipeline_id == pipeline_id)
    return conditions


def deal_detail(session: Session, deal_id: int) -> DealDetail | None:
    """One deal with everything recorded about it, newest history first."""
    summaries = deal_summaries(session, Deal.id == deal_id)
    if not summaries:
        return None
    summary = summaries[0]
    deal = session.get(Deal, deal_id)
    assert deal is not None
    return DealDetail(
        summary=summary,
        checklist=tuple(_checklist(session, deal)),
        research=_research(session, deal_id),
        objections=tuple(
            ObjectionRecord(
                o.id,
                o.category,
                o.hidden,
                o.text,
                o.response,
                o.status,
                o.created_at,
                o.resolved_at,
                o.version,
            )
            for o in session.scalars(
                select(Objection).where(Objection.deal_id == deal_id).order_by(Objection.id)
            )
        ),
        activities=tuple(
            ActivityRecord(a.id, a.kind, a.subject, name, a.due_at, a.done_at, a.outcome)
            for a, name in session.execute(
                select(Activity, User.name)
                .join(User, User.id == Activity.user_id)
                .where(Activity.deal_id == deal_id)
                .order_by(
                    func.coalesce(Activity.done_at, Activity.due_at, Activity.created_at).desc()
                )
            )
        ),
        history=tuple(_history(session, deal_id)),
        bant=_bant(session, deal_id),
        lineage=repeat_deal.lineage(session, deal),
        audit=tuple(
            AuditRecord(
                e.at,
                audit.who(name, via),
                e.action,
                e.entity,
                e.entity_id,
                e.field,
                e.old_value,
                e.new_value,
                kind.value if kind is not None else "do",
            )
            for e, name, kind, via in session.execute(
                select(AuditEntry, User.name, Change.kind, audit.VIA.name)
                .join(User, User.id == AuditEntry.user_id)
                .outerjoin(Change, Change.id == AuditEntry.change_id)
                .outerjoin(audit.VIA, audit.VIA.id == Change.via_user_id)
                .where(AuditEntry.deal_id == deal_id)
                .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            )
        ),
    )


def _bant(session: Session, deal_id: int) -> tuple[BantRecord, ...]:
    given = {
        a.item: a for a in session.scalars(select(BantAnswer).where(BantAnswer.deal_id == deal_id))
    }
    return tuple(
        BantRecord(item, given[item].state, given[item].note)
        if item in given
        else BantRecord(item, BantState.UNKNOWN)
        for item in BantItem
    )


def _checklist(session: Session, deal: Deal) -> list[ChecklistItem]:
    """Every criterion of every open stage of the deal's pipeline, with its tick if any."""
    rows = session.execute(
        select(StageCriterion, Stage, ChecklistTick, User.name)
        .join(Stage, Stage.id == StageCriterion.stage_id)
        .outerjoin(
            ChecklistTick,
            and_(ChecklistTick.criterion_id == StageCriterion.id, ChecklistTick.deal_id == deal.id),
        )
        .outerjoin(User, User.id == ChecklistTick.checked_by_id)
        .where(Stage.pipeline_id == deal.pipeline_id)
        .order_by(Stage.position, StageCriterion.position)
    ).all()
    return [
        ChecklistItem(
            criterion.id,
            stage.name,
            stage.position,
            criterion.position,
            criterion.text,
            tick is not None,
            by,
            tick.checked_at if tick else None,
        )
        for criterion, stage, tick, by in rows
    ]


def _research(session: Session, deal_id: int) -> ResearchRecord:
    notes = session.get(ResearchNotes, deal_id)
    stakeholders = tuple(
        StakeholderRecord(s.id, s.name, s.role, s.influence, s.stance, s.version)
        for s in session.scalars(
            select(Stakeholder).where(Stakeholder.deal_id == deal_id).order_by(Stakeholder.id)
        )
    )
    if notes is None:
        return ResearchRecord(stakeholders=stakeholders)
    return ResearchRecord(
        notes.interests,
        notes.buying_process,
        notes.key_objectives,
        notes.decision_timing,
        notes.pain_points,
        notes.free_text,
        stakeholders,
        notes.version,
    )


def _history(session: Session, deal_id: int) -> Sequence[TransitionRecord]:
    source = aliased(Stage)
    target = aliased(Stage)
    rows = session.execute(
        select(StageTransition, source.name, target.name, User.name)
        .outerjoin(source, source.id == StageTransition.from_stage_id)
        .join(target, target.id == StageTransition.to_stage_id)
        .join(User, User.id == StageTransition.user_id)
        .where(StageTransition.deal_id == deal_id)
        .order_by(StageTransition.at.desc(), StageTransition.id.desc())
    ).all()
    return [
        TransitionRecord(from_name, to_name, user, t.at, t.override_reason)
        for t, from_name, to_name, user in rows
    ]
