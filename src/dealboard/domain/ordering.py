"""Where a card sits in its column: the order a rep puts deals in is theirs to keep.

Positions only need to be ordered, not dense. Placing a card takes the
position of the card it goes in front of and shifts that card and the ones
after it down by one in a single UPDATE, so a reorder costs the same in a
column of ten cards or ten thousand.

That UPDATE locks many rows at once, so on PostgreSQL two placements could
each hold a row the other wants (a reorder in one column, or two drops going
opposite ways between two columns). Every placement therefore first locks its
pipeline's row, before the deal's own row: placements in a pipeline queue up
instead of deadlocking, and each takes milliseconds. The locks are FOR NO KEY
UPDATE: FOR UPDATE would also block the foreign-key checks other writers make
on the same rows, and deadlock them instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from dealboard.db.models import Deal, Pipeline, User
from dealboard.domain import audit
from dealboard.domain.deals import next_position, require_open
from dealboard.domain.errors import NotFound


@dataclass(frozen=True)
class Spot:
    """Where a card goes in its column.

    By the cards the user saw around the drop (`before` the card under it,
    `after` the one above it), which stays right under a filter that hides cards
    in between; else by 0-based `index` among all the column's cards; else last.
    An anchor that has left the column meanwhile is skipped for the next one.
    """

    index: int | None = None
    before: int | None = None
    after: int | None = None


LAST = Spot()


def place(session: Session, deal: Deal, spot: Spot) -> bool:
    """Put `deal` at `spot` among the other cards of its column.

    Returns True when its place changed. The caller records the audit row and
    has taken `lock_pipeline_of` first.
    """
    others = session.execute(
        select(Deal.id, Deal.position)
        .where(Deal.stage_id == deal.stage_id, Deal.id != deal.id)
        .order_by(Deal.position, Deal.id)
    ).all()
    index = _index_of(spot, [other_id for other_id, _ in others])
    current = sum(1 for other_id, p in others if (p, other_id) < (deal.position, deal.id))
    if index == current:
        return False
    if index == len(others):
        deal.position = next_position(session, deal.stage_id)
        if others and deal.position <= others[-1][1]:
            deal.position = others[-1][1] + 1
        return True
    target = others[index][1]
    session.execute(
        update(Deal)
        .where(Deal.stage_id == deal.stage_id, Deal.id != deal.id, Deal.position >= target)
        .values(position=Deal.position + 1)
        .execution_options(synchronize_session=False)
    )
    deal.position = target
    return True


def _index_of(spot: Spot, others: list[int]) -> int:
    if spot.before in others:
        return others.index(spot.before)
    if spot.after in others:
        return others.index(spot.after) + 1
    if spot.index is None:
        return len(others)
    return max(0, min(spot.index, len(others)))


def lock_pipeline_of(session: Session, deal_id: int) -> None:
    """Hold the deal's pipeline for this transaction: taken before the deal's own row.

    A no-op lock on SQLite, whose writers queue for the whole database anyway.
    """
    pipeline_id = session.scalar(select(Deal.pipeline_id).where(Deal.id == deal_id))
    if pipeline_id is None:
        raise NotFound("deal", deal_id)
    session.execute(
        select(Pipeline.id).where(Pipeline.id == pipeline_id).with_for_update(key_share=True)
    )


def reorder(session: Session, actor: User, deal: Deal, spot: Spot, now: datetime) -> None:
    """`J`/`K` or a drop inside the same column: move the card up or down."""
    require_open(deal, "reorder it")
    before = deal.position
    if place(session, deal, spot):
        deal.updated_at = now
        audit.record(
            session,
            actor,
            action="reorder",
            entity="deal",
            entity_id=deal.id,
            deal_id=deal.id,
            at=now,
            changes={"position": (before, deal.position)},
        )
        session.flush()
