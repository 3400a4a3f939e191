"""Stay lengths for moves written without one: bulk imports, restores of older dumps.

Every move the board makes records `stage_transitions.stay_seconds` (see
`moves.stay_seconds`); the time-in-stage report reads only that. A writer that
inserts history in bulk can instead call `fill_missing_stays` once afterwards:
each move without a stay gets the time since the deal's previous move (in order
of time, then id), the same rule migration 0005 applied to older history.
"""

from __future__ import annotations

from sqlalchemy import Integer, case, cast, func, select, update
from sqlalchemy.orm import Session

from dealboard.db.models import StageTransition
from dealboard.domain.reports.sql import seconds_between


def fill_missing_stays(session: Session) -> int:
    """Work out every missing stay in one statement; returns how many moves got one."""
    missing = (
        select(StageTransition.deal_id)
        .where(StageTransition.stay_seconds.is_(None), StageTransition.from_stage_id.is_not(None))
        .distinct()
    )
    ordered = (
        select(
            StageTransition.id,
            StageTransition.at,
            func.lag(StageTransition.at)
            .over(
                partition_by=StageTransition.deal_id,
                order_by=(StageTransition.at, StageTransition.id),
            )
            .label("started"),
        )
        .where(StageTransition.deal_id.in_(missing))
        .subquery("ordered")
    )
    length = func.round(seconds_between(ordered.c.started, ordered.c.at))
    result = session.execute(
        update(StageTransition)
        .values(stay_seconds=case((length > 0, cast(length, Integer)), else_=0))
        .where(
            StageTransition.id == ordered.c.id,
            ordered.c.started.is_not(None),
            StageTransition.stay_seconds.is_(None),
            StageTransition.from_stage_id.is_not(None),
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
