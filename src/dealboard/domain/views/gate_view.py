"""What an open checklist gate follows: the deal's stage, its ticks and who made them.

The gate stays open while colleagues work. Read live (`Views.gate`), it shows
their ticks as they land, with who ticked, and notices when the deal has left
the stage the gate was opened for, naming who moved it, so the user is never
told that a colleague's move was theirs.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from dealboard.db.models import ChecklistTick, Deal, Stage, StageCriterion, User
from dealboard.domain.errors import NotFound
from dealboard.domain.moved_meanwhile import LastMove, last_move
from dealboard.domain.ties import follows
from dealboard.vocabulary import StageKind


@dataclass(frozen=True)
class GateTick:
    """One criterion of the deal's pipeline: ticked or not, by whom, and what it follows."""

    stage: str
    text: str
    checked: bool
    #: The login of who ticked it (None when unticked).
    by: str | None
    #: `ties.follows`: "" for a criterion ticked by hand only.
    follows: str


@dataclass(frozen=True)
class GateView:
    """The deal as an open gate sees it, read in one transaction."""

    deal_id: int
    stage_id: int
    stage: str
    stage_kind: StageKind
    ticks: tuple[GateTick, ...]
    last_move: LastMove | None

    def tick(self, stage: str, text: str) -> GateTick | None:
        """The criterion `text` of `stage`, if the pipeline still has it."""
        return next((t for t in self.ticks if t.stage == stage and t.text == text), None)


def read_gate(session: Session, deal_id: int) -> GateView:
    """The deal's stage, every open stage's criteria with their ticks, and its latest move."""
    row = session.execute(
        select(Deal.pipeline_id, Stage.id, Stage.name, Stage.kind)
        .join(Stage, Stage.id == Deal.stage_id)
        .where(Deal.id == deal_id)
    ).first()
    if row is None:
        raise NotFound("deal", deal_id)
    pipeline_id, stage_id, stage_name, stage_kind = row
    rows = session.execute(
        select(Stage.name, StageCriterion, ChecklistTick.id, User.name)
        .join(Stage, Stage.id == StageCriterion.stage_id)
        .outerjoin(
            ChecklistTick,
            and_(ChecklistTick.criterion_id == StageCriterion.id, ChecklistTick.deal_id == deal_id),
        )
        .outerjoin(User, User.id == ChecklistTick.checked_by_id)
        .where(Stage.pipeline_id == pipeline_id)
        .order_by(Stage.position, StageCriterion.position)
    ).all()
    ticks = tuple(
        GateTick(stage, c.text, tick is not None, by, follows(c.tie, c.bant_item))
        for stage, c, tick, by in rows
    )
    return GateView(deal_id, stage_id, stage_name, stage_kind, ticks, last_move(session, deal_id))
