"""Reading the board: a whole column set in a few queries, never one query per card."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import Session, aliased, selectinload

from dealboard.db.models import (
    Activity,
    AuditEntry,
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
from dealboard.domain.records import (
    ActivityRecord,
    AuditRecord,
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
from dealboard.vocabulary import ObjectionStatus, StageKind


def pipeline_record(pipeline: Pipeline) -> PipelineRecord:
    """Plain copy of a loaded pipeline with its stages and criteria."""
    stages = tuple(
        StageRecord(
            s.id,
            s.name,
            s.position,
            s.kind,
            s.probability,
            s.rot_days,
            tuple(c.text for c in s.criteria),
        )
        for s in pipeline.stages
    )
    return PipelineRecord(
        pipeline.id, pipeline.name, pipeline.title, pipeline.description, pipeline.currency, stages
    )


def all_pipelines(session: Session) -> Sequence[Pipeline]:
    """Every pipeline with stages and criteria loaded, in creation order."""
    return session.scalars(
        select(Pipeline)
        .order_by(Pipeline.id)
        .options(selectinload(Pipeline.stages).selectinload(Stage.criteria))
    ).all()


def _summary_query(*conditions: ColumnElement[bool]) -> Select:
    done = (
        select(func.count(ChecklistTick.id))
        .join(StageCriterion, StageCriterion.id == ChecklistTick.criterion_id)
        .where(ChecklistTick.deal_id == Deal.id, StageCriterion.stage_id == Deal.stage_id)
        .scalar_subquery()
    )
    total = (
        select(func.count(StageCriterion.id))
        .where(StageCriterion.stage_id == Deal.stage_id)
        .scalar_subquery()
    )
    objections = (
        select(func.count(Objection.id))
        .where(Objection.deal_id == Deal.id, Objection.status == ObjectionStatus.OPEN)
        .scalar_subquery()
    )
    return (
        select(Deal, Stage, User, Pipeline.name, done, total, objections)
        .join(Stage, Stage.id == Deal.stage_id)
        .join(User, User.id == Deal.owner_id)
        .join(Pipeline, Pipeline.id == Deal.pipeline_id)
        .where(*conditions)
        .order_by(Stage.position, Deal.position, Deal.id)
    )


def deal_summaries(session: Session, *conditions: ColumnElement[bool]) -> list[DealSummary]:
    """Every deal matching `conditions`, with checklist progress, objections and tags."""
    rows = session.execute(_summary_query(*conditions)).all()
    tags: dict[int, list[str]] = defaultdict(list)
    if rows:
        matching = select(Deal.id).join(Stage, Stage.id == Deal.stage_id).where(*conditions)
        for deal_id, tag in session.execute(
            select(DealTag.deal_id, DealTag.tag)
            .where(DealTag.deal_id.in_(matching))
            .order_by(DealTag.tag)
        ):
            tags[deal_id].append(tag)
    return [
        _summary(deal, stage, owner, pipeline_name, done, total, objections, tuple(tags[deal.id]))
        for deal, stage, owner, pipeline_name, done, total, objections in rows
    ]


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


def _summary(
    deal: Deal,
    stage: Stage,
    owner: User,
    pipeline_name: str,
    done: int,
    total: int,
    objections: int,
    tags: tuple[str, ...],
) -> DealSummary:
    return DealSummary(
        id=deal.id,
        title=deal.title,
        account=deal.account,
        contact=deal.contact,
        pipeline=pipeline_name,
        stage=stage.name,
        stage_id=stage.id,
        stage_kind=stage.kind,
        owner=owner.name,
        owner_display=owner.display_name,
        value_minor=deal.value_minor,
        currency=deal.currency,
        contact_type=deal.contact_type,
        source=deal.source,
        tags=tags,
        expected_close=deal.expected_close,
        next_step=deal.next_step,
        next_step_due=deal.next_step_due,
        position=deal.position,
        stage_entered_at=deal.stage_entered_at,
        created_at=deal.created_at,
        closed_at=deal.closed_at,
        loss_reason=deal.loss_reason,
        loss_note=deal.loss_note,
        checklist_done=done or 0,
        checklist_total=total or 0,
        open_objections=objections or 0,
        version=deal.version,
    )


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
        audit=tuple(
            AuditRecord(
                e.at, name, e.action, e.entity, e.entity_id, e.field, e.old_value, e.new_value
            )
            for e, name in session.execute(
                select(AuditEntry, User.name)
                .join(User, User.id == AuditEntry.user_id)
                .where(AuditEntry.deal_id == deal_id)
                .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            )
        ),
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
        StakeholderRecord(s.id, s.name, s.role, s.influence, s.stance)
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
