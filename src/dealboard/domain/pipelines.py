"""Putting pipeline files into a board and getting them back out.

An import updates a pipeline in place, matching stages and criteria by
name, so deals and the ticks they earned survive a team's edit of the file.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from dealboard.db.models import (
    ChecklistTick,
    Deal,
    Pipeline,
    Stage,
    StageCriterion,
    StageTemplate,
    StageTransition,
    User,
)
from dealboard.domain import audit
from dealboard.domain.errors import RuleViolation
from dealboard.domain.lookup import find_pipeline
from dealboard.domain.pipeline_spec import (
    Cadence,
    PipelineSpec,
    Sla,
    StageSpec,
    TemplateSpec,
)
from dealboard.domain.stage_limits import wip_columns, wip_of
from dealboard.domain.users import require_manager


def export_spec(session: Session, name: str | None) -> PipelineSpec:
    """The pipeline as it is in the board, ready to write as TOML."""
    pipeline = find_pipeline(session, name)
    return PipelineSpec(
        name=pipeline.name,
        title=pipeline.title,
        description=pipeline.description,
        currency=pipeline.currency,
        stages=tuple(_stage_spec(s) for s in pipeline.stages),
        sla=Sla(
            pipeline.speed_to_lead_minutes,
            _cadence(pipeline.follow_up_attempts, pipeline.follow_up_days),
        ),
        nurture_days=pipeline.nurture_days,
    )


def _stage_spec(stage: Stage) -> StageSpec:
    return StageSpec(
        stage.name,
        stage.kind,
        stage.probability,
        stage.rot_days,
        tuple(c.text for c in stage.criteria),
        _cadence(stage.cadence_attempts, stage.cadence_days),
        tuple((c.text, c.bant_item) for c in stage.criteria if c.bant_item is not None),
        tuple(TemplateSpec(t.name, t.kind, t.body, t.subject) for t in stage.templates),
        stage.purpose,
        tuple((c.text, c.tie) for c in stage.criteria if c.tie is not None),
        wip_of(stage.wip_max, stage.wip_hard),
    )


def _cadence(attempts: int | None, days: int | None) -> Cadence | None:
    return Cadence(attempts, days) if attempts is not None and days is not None else None


def pipeline_exists(session: Session, name: str) -> bool:
    """Whether a pipeline of that name is on the board."""
    return session.scalar(select(func.count(Pipeline.id)).where(Pipeline.name == name)) > 0


def apply_spec(
    session: Session, actor: User, spec: PipelineSpec, now: datetime
) -> tuple[Pipeline, bool]:
    """Create the pipeline, or update it to match the file; returns it and whether it was new.

    Creating or changing a pipeline is a manager's job; only the board's
    first one may be made by anyone (that is how a board gets started).
    """
    if session.scalar(select(func.count(Pipeline.id))):
        require_manager(actor, "add or change a pipeline")
    existing = session.scalar(
        select(Pipeline)
        .where(Pipeline.name == spec.name)
        .options(selectinload(Pipeline.stages).selectinload(Stage.criteria))
    )
    if existing is None:
        pipeline = Pipeline(
            name=spec.name,
            title=spec.title,
            description=spec.description,
            currency=spec.currency,
            created_at=now,
            **_sla_columns(spec),
        )
        pipeline.stages = [_new_stage(s, i) for i, s in enumerate(spec.stages, 1)]
        session.add(pipeline)
        session.flush()
        audit.record(
            session,
            actor,
            action="create",
            entity="pipeline",
            entity_id=pipeline.id,
            deal_id=None,
            at=now,
            changes={"stages": (None, ", ".join(s.name for s in spec.stages))},
        )
        return pipeline, True
    _update(session, actor, existing, spec, now)
    return existing, False


def _sla_columns(spec: PipelineSpec) -> dict[str, int | None]:
    """The pipeline-level columns a file sets besides its names: SLA and nurture."""
    follow_up = spec.sla.follow_up
    return {
        "speed_to_lead_minutes": spec.sla.speed_to_lead_minutes,
        "follow_up_attempts": follow_up.attempts if follow_up else None,
        "follow_up_days": follow_up.days if follow_up else None,
        "nurture_days": spec.nurture_days,
    }


def _stage_columns(spec: StageSpec) -> dict[str, object]:
    return {
        "name": spec.name,
        "kind": spec.kind,
        "probability": spec.probability,
        "rot_days": spec.rot_days,
        "purpose": spec.purpose,
        "cadence_attempts": spec.cadence.attempts if spec.cadence else None,
        "cadence_days": spec.cadence.days if spec.cadence else None,
        **wip_columns(spec.wip),
    }


def _new_stage(spec: StageSpec, position: int) -> Stage:
    stage = Stage(position=position, **_stage_columns(spec))
    bant, tied = dict(spec.bant), dict(spec.ties)
    stage.criteria = [
        StageCriterion(position=i, text=t, bant_item=bant.get(t), tie=tied.get(t))
        for i, t in enumerate(spec.criteria, 1)
    ]
    stage.templates = _templates(spec)
    return stage


def _templates(spec: StageSpec) -> list[StageTemplate]:
    return [
        StageTemplate(position=i, name=t.name, kind=t.kind, subject=t.subject, body=t.body)
        for i, t in enumerate(spec.templates, 1)
    ]


def _update(
    session: Session, actor: User, pipeline: Pipeline, spec: PipelineSpec, now: datetime
) -> None:
    changes: dict[str, tuple[object, object]] = {}
    wanted_fields = {
        "title": spec.title,
        "description": spec.description,
        "currency": spec.currency,
        **_sla_columns(spec),
    }
    for field, new in wanted_fields.items():
        old = getattr(pipeline, field)
        if old != new:
            changes[field] = (old, new)
            setattr(pipeline, field, new)
    by_name = {s.name.casefold(): s for s in pipeline.stages}
    wanted = {s.name.casefold() for s in spec.stages}
    deals_in = _deal_counts(session, pipeline.id)
    for stage in pipeline.stages:
        if stage.name.casefold() not in wanted:
            _check_removable(session, stage, deals_in.get(stage.id, 0))
    kept: list[Stage] = []
    for position, stage_spec in enumerate(spec.stages, 1):
        stage = by_name.get(stage_spec.name.casefold())
        if stage is None:
            stage = _new_stage(stage_spec, position)
            changes[f"stage {stage_spec.name}"] = (None, "added")
        else:
            if stage.kind is not stage_spec.kind and deals_in.get(stage.id, 0):
                raise RuleViolation(
                    f"stage {stage.name} holds deals; its kind cannot change "
                    f"from {stage.kind} to {stage_spec.kind}"
                )
            _update_stage(session, stage, stage_spec, position, changes)
        kept.append(stage)
    for stage in pipeline.stages:
        if stage not in kept:
            changes[f"stage {stage.name}"] = ("present", None)
    pipeline.stages = kept
    session.flush()
    if changes:
        audit.record(
            session,
            actor,
            action="update",
            entity="pipeline",
            entity_id=pipeline.id,
            deal_id=None,
            at=now,
            changes=changes,
        )


def _update_stage(
    session: Session,
    stage: Stage,
    spec: StageSpec,
    position: int,
    changes: dict[str, tuple[object, object]],
) -> None:
    for field, new in {**_stage_columns(spec), "position": position}.items():
        old = getattr(stage, field)
        if old != new:
            changes[f"{stage.name}.{field}"] = (old, new)
            setattr(stage, field, new)
    by_text = {c.text.casefold(): c for c in stage.criteria}
    bant, tied = dict(spec.bant), dict(spec.ties)
    criteria: list[StageCriterion] = []
    for index, text in enumerate(spec.criteria, 1):
        criterion = by_text.pop(text.casefold(), None)
        if criterion is None:
            criterion = StageCriterion(position=index, text=text)
            changes[f"{stage.name} criterion"] = (None, text)
        elif criterion.bant_item != bant.get(text):
            changes[f"{stage.name} criterion {text} bant"] = (criterion.bant_item, bant.get(text))
        elif criterion.tie != tied.get(text):
            changes[f"{stage.name} criterion {text} tie"] = (criterion.tie, tied.get(text))
        criterion.position, criterion.text = index, text
        criterion.bant_item = bant.get(text)
        criterion.tie = tied.get(text)
        criteria.append(criterion)
    for removed in by_text.values():
        changes[f"{stage.name} criterion removed"] = (removed.text, None)
        session.execute(
            ChecklistTick.__table__.delete().where(ChecklistTick.criterion_id == removed.id)
        )
    stage.criteria = criteria
    templates = tuple(TemplateSpec(t.name, t.kind, t.body, t.subject) for t in stage.templates)
    if templates != spec.templates:
        changes[f"{stage.name} templates"] = (
            ", ".join(t.name for t in templates) or None,
            ", ".join(t.name for t in spec.templates) or None,
        )
        stage.templates = _templates(spec)


def _check_removable(session: Session, stage: Stage, deals: int) -> None:
    """A stage leaves the pipeline only if no deal is in it and none ever passed through it."""
    if deals:
        raise RuleViolation(
            f"stage {stage.name} holds {deals} deals and is missing from the "
            "file; move those deals first or keep the stage"
        )
    moves = session.scalar(
        select(func.count(StageTransition.id)).where(
            or_(StageTransition.from_stage_id == stage.id, StageTransition.to_stage_id == stage.id)
        )
    )
    if moves:
        raise RuleViolation(
            f"stage {stage.name} is missing from the file but {moves} recorded "
            "moves refer to it; keep it so the history stays true"
        )


def _deal_counts(session: Session, pipeline_id: int) -> dict[int, int]:
    rows = session.execute(
        select(Deal.stage_id, func.count(Deal.id))
        .where(Deal.pipeline_id == pipeline_id)
        .group_by(Deal.stage_id)
    )
    return dict(rows.all())
