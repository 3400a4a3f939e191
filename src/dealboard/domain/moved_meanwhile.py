"""A move made from an old picture of the board: refused, naming who moved the deal first.

A gate (or a card) shows the deal in the stage it was in when the user looked.
If a colleague moved it since, moving "from there" again would silently undo
or repeat their move; the front end passes the stage it saw and the move is
refused with who moved it, where to and when, so nothing happens twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealboard.db.models import Deal, Stage, StageTransition, User
from dealboard.domain.errors import Conflict
from dealboard.domain.times import when


@dataclass(frozen=True)
class LastMove:
    """The deal's latest move: who made it, where to, when."""

    by: str
    by_display: str
    to_stage: str
    at: datetime

    def said(self, me: str, now: datetime) -> str:
        """`Sam Seller moved it to Qualify at 10:42` (or `You moved it …` from elsewhere)."""
        who = "You" if self.by.casefold() == me.casefold() else self.by_display or self.by
        return f"{who} moved it to {self.to_stage} at {when(self.at, now)}"


def last_move(session: Session, deal_id: int) -> LastMove | None:
    """The newest stage transition of the deal (None for a deal never moved nor created)."""
    row = session.execute(
        select(User.name, User.display_name, Stage.name, StageTransition.at)
        .join(User, User.id == StageTransition.user_id)
        .join(Stage, Stage.id == StageTransition.to_stage_id)
        .where(StageTransition.deal_id == deal_id)
        .order_by(StageTransition.at.desc(), StageTransition.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    name, display, stage, at = row
    return LastMove(name, display or "", stage, at)


def refuse_if_moved(
    session: Session, deal: Deal, from_stage: str | None, me: str, now: datetime
) -> None:
    """Refuse (Conflict) unless the deal is still in `from_stage` (None: nobody looked)."""
    if from_stage is None or deal.stage.name == from_stage:
        return
    move = last_move(session, deal.id)
    if move is None:
        said = f"it is in {deal.stage.name} now, not {from_stage}"
        raise Conflict(f"{deal.title}: {said}; not moved")
    raise Conflict(f"{deal.title}: {move.said(me, now)}; not moved", by=move.by, at=move.at)
