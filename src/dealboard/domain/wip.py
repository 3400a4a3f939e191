"""Counting a stage's open deals against its WIP limit, under a lock when a deal is to enter.

Two people dragging the last two cards into a stage with one free slot must
not both get in. A move or a new deal into a hard-limited stage therefore
holds the stage's row (PostgreSQL: `FOR NO KEY UPDATE`, which the foreign keys
of other writers do not wait for) before counting; SQLite's writers already
queue for the whole database (`BEGIN IMMEDIATE`).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealboard.db.models import Deal, Stage, User
from dealboard.domain.errors import RuleViolation
from dealboard.domain.gate import StageLoad, wip_refuses
from dealboard.domain.stage_limits import wip_of
from dealboard.vocabulary import Role, StageKind


def stage_load(session: Session, stage: Stage, *, lock: bool = False) -> StageLoad | None:
    """The stage's open deals against its limit (None: no limit); `lock` before a deal enters."""
    limit = wip_of(stage.wip_max, stage.wip_hard)
    if limit is None or stage.kind is not StageKind.OPEN:
        return None
    if lock and limit.hard:
        session.execute(
            select(Stage.id).where(Stage.id == stage.id).with_for_update(key_share=True)
        )
    count = session.scalar(select(func.count(Deal.id)).where(Deal.stage_id == stage.id))
    return StageLoad(stage.name, int(count or 0), limit)


def admit_new_deal(session: Session, actor: User, stage: Stage) -> None:
    """A new deal starting in `stage`: refused for a rep while a hard limit is full.

    A manager may start one there anyway: a new lead is not a deal pushed past
    the gate, and the creation is on record as theirs.
    """
    load = stage_load(session, stage, lock=True)
    if load is not None and wip_refuses(load) and actor.role is not Role.MANAGER:
        raise RuleViolation(f"a new deal cannot start in {stage.name}: {load.reason}")
