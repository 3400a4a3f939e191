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
from dealboard.domain import audit, revisions
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
    process = _ProcessChanges()
    process.pipeline_wide(pipeline, spec)
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
            process.add(stage, "stage added", None, stage_spec.name)
        else:
            if stage.kind is not stage_spec.kind and deals_in.get(stage.id, 0):
                raise RuleViolation(
                    f"stage {stage.name} holds deals; its kind cannot change "
                    f"from {stage.kind} to {stage_spec.kind}"
                )
            process.stage(stage, stage_spec)
            _update_stage(session, stage, stage_spec, position, changes, process)
        kept.append(stage)
    for stage in pipeline.stages:
        if stage not in kept:
            changes[f"stage {stage.name}"] = ("present", None)
            process.add(None, "stage removed", stage.name, None, stage.name)
    pipeline.stages = kept
    session.flush()
    revisions.record(session, actor, pipeline, process.changes(), now)
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
    process: _ProcessChanges,
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
            process.add(stage, "criterion added", None, text)
        elif criterion.bant_item != bant.get(text):
            changes[f"{stage.name} criterion {text} bant"] = (criterion.bant_item, bant.get(text))
            process.add(
                stage, f"criterion met by BANT: {text}", criterion.bant_item, bant.get(text)
            )
        elif criterion.tie != tied.get(text):
            changes[f"{stage.name} criterion {text} tie"] = (criterion.tie, tied.get(text))
            process.add(stage, f"criterion met by: {text}", criterion.tie, tied.get(text))
        criterion.position, criterion.text = index, text
        criterion.bant_item = bant.get(text)
        criterion.tie = tied.get(text)
        criteria.append(criterion)
    for removed in by_text.values():
        changes[f"{stage.name} criterion removed"] = (removed.text, None)
        process.add(stage, "criterion removed", removed.text, None)
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
        process.add(stage, "templates", *changes[f"{stage.name} templates"])
        stage.templates = _templates(spec)


class _ProcessChanges:
    """What an import changed in how deals are worked: the revision it records (see `revisions`).

    Stages are kept as objects until the import is flushed, so a stage added by
    the same file has its id by the time the revision is written.
    """

    def __init__(self) -> None:
        self._found: list[tuple[Stage | None, str | None, str, object, object]] = []

    def add(
        self,
        stage: Stage | None,
        what: str,
        before: object,
        after: object,
        stage_name: str | None = None,
    ) -> None:
        name = stage.name if stage is not None else stage_name
        self._found.append((stage, name, what, before, after))

    def pipeline_wide(self, pipeline: Pipeline, spec: PipelineSpec) -> None:
        """SLA and nurture days, before the pipeline's columns are updated."""
        wanted = _sla_columns(spec)
        if pipeline.speed_to_lead_minutes != wanted["speed_to_lead_minutes"]:
            self.add(
                None,
                "speed to lead",
                pipeline.speed_to_lead_minutes,
                spec.sla.speed_to_lead_minutes,
            )
        old = _cadence_text(pipeline.follow_up_attempts, pipeline.follow_up_days)
        new = _cadence_text(wanted["follow_up_attempts"], wanted["follow_up_days"])
        if old != new:
            self.add(None, "follow-up", old, new)
        if pipeline.nurture_days != spec.nurture_days:
            self.add(None, "nurture days", pipeline.nurture_days, spec.nurture_days)

    def stage(self, stage: Stage, spec: StageSpec) -> None:
        """A kept stage's probability, quiet days, cadence and WIP limit, before they change."""
        wanted = _stage_columns(spec)
        for field, what in (("probability", "probability"), ("rot_days", "quiet after days")):
            if getattr(stage, field) != wanted[field]:
                self.add(stage, what, getattr(stage, field), wanted[field])
        old = _cadence_text(stage.cadence_attempts, stage.cadence_days)
        new = _cadence_text(wanted["cadence_attempts"], wanted["cadence_days"])
        if old != new:
            self.add(stage, "cadence", old, new)
        old_wip = _wip_text(stage.wip_max, stage.wip_hard)
        new_wip = _wip_text(wanted.get("wip_max"), wanted.get("wip_hard"))
        if old_wip != new_wip:
            self.add(stage, "WIP limit", old_wip, new_wip)

    def changes(self) -> list[revisions.RevisionChange]:
        return [
            revisions.RevisionChange(
                stage.id if stage is not None else None,
                name,
                what,
                _plain(before),
                _plain(after),
            )
            for stage, name, what, before, after in self._found
        ]


def _plain(value: object) -> str | int | None:
    if value is None or isinstance(value, int | str):
        return value
    return str(getattr(value, "value", value))


def _cadence_text(attempts: object, days: object) -> str | None:
    return f"{attempts} attempts in {days} days" if attempts is not None else None


def _wip_text(limit: object, hard: object) -> str | None:
    if limit is None:
        return None
    return f"{limit} (hard)" if hard else str(limit)


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
