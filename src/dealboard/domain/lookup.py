"""Finding things by the names users type: pipelines, stages, deals, criteria."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from dealboard.db.models import ChecklistTick, Deal, Pipeline, Stage, StageCriterion
from dealboard.domain.errors import InvalidInput, NotFound
from dealboard.domain.gate import GateCriterion, GateStage
from dealboard.domain.text import slug
from dealboard.domain.ties import follows

T = TypeVar("T")


def find_pipeline(session: Session, name: str | None) -> Pipeline:
    """The named pipeline, or the board's first when no name is given."""
    query = select(Pipeline).options(selectinload(Pipeline.stages).selectinload(Stage.criteria))
    if name is None:
        pipeline = session.scalars(query.order_by(Pipeline.id).limit(1)).first()
        if pipeline is None:
            raise NotFound("pipeline", "(any)", "run `dealboard init` first")
        return pipeline
    for candidate in session.scalars(query.order_by(Pipeline.id)):
        if slug(candidate.name) == slug(name) or slug(candidate.title) == slug(name):
            return candidate
    known = ", ".join(session.scalars(select(Pipeline.name).order_by(Pipeline.id)))
    raise NotFound("pipeline", name, f"pipelines: {known or 'none yet'}")


def find_stage(pipeline: Pipeline, name: str, field: str = "stage") -> Stage:
    """A stage of `pipeline` by name, loosely (`overcome-objections`, `Overcome Objections`)."""
    wanted = slug(name)
    for stage in pipeline.stages:
        if slug(stage.name) == wanted:
            return stage
    if wanted.isdigit() and 1 <= int(wanted) <= len(pipeline.stages):
        return pipeline.stages[int(wanted) - 1]
    names = ", ".join(s.name for s in pipeline.stages)
    raise NotFound(field, name, f"stages of {pipeline.name}: {names}")


def parse_deal_id(value: str | int) -> int:
    """A deal id as typed (`42` or `#42`)."""
    text = str(value).strip().lstrip("#")
    if not text.isdigit() or int(text) < 1:
        raise InvalidInput("deal", value, "give a deal id, a positive whole number like 42")
    return int(text)


def load_deal(session: Session, deal_id: int, *, for_update: bool = False) -> Deal:
    """The deal, its stage and pipeline; locked against concurrent writers when changing it."""
    query = (
        select(Deal)
        .where(Deal.id == deal_id)
        .options(
            selectinload(Deal.pipeline).selectinload(Pipeline.stages).selectinload(Stage.criteria)
        )
    )
    if for_update:
        query = query.with_for_update(of=Deal, key_share=True)
    deal = session.scalars(query).first()
    if deal is None:
        raise NotFound("deal", deal_id)
    return deal


def ticked_criteria(session: Session, deal_id: int) -> set[int]:
    """Ids of the criteria this deal has ticked, across every stage."""
    return set(
        session.scalars(select(ChecklistTick.criterion_id).where(ChecklistTick.deal_id == deal_id))
    )


def gate_stages(stages: Sequence[Stage], ticked: set[int]) -> list[GateStage]:
    """The pipeline's stages in the gate's plain form."""
    return [
        GateStage(
            id=s.id,
            name=s.name,
            position=s.position,
            kind=s.kind,
            criteria=tuple(
                GateCriterion(c.id, c.text, c.id in ticked, follows(c.tie, c.bant_item))
                for c in s.criteria
            ),
        )
        for s in stages
    ]


def find_criterion(stage: Stage, item: str) -> StageCriterion:
    """A criterion by its number in the stage (from 1) or by its text (case-insensitive)."""
    wanted = item.strip()
    if wanted.isdigit():
        number = int(wanted)
        if 1 <= number <= len(stage.criteria):
            return stage.criteria[number - 1]
    else:
        exact = [c for c in stage.criteria if c.text.casefold() == wanted.casefold()]
        partial = [c for c in stage.criteria if wanted.casefold() in c.text.casefold()]
        matches = exact or partial
        if len(matches) == 1:
            return matches[0]
    listing = "; ".join(f"{i}. {c.text}" for i, c in enumerate(stage.criteria, 1))
    if not stage.criteria:
        raise NotFound("item", item, f"{stage.name} has no exit criteria")
    raise NotFound("item", item, f"{stage.name} has: {listing}")


def load_row(session: Session, model: type[T], row_id: int, field: str) -> T:
    """A row by primary key, or NotFound naming what the user asked for."""
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(field, row_id)
    return row


def require_deal(session: Session, deal_id: int) -> None:
    """NotFound unless the deal exists (for notes added to it)."""
    if session.get(Deal, deal_id) is None:
        raise NotFound("deal", deal_id)
