"""A deal's touch statistics as SQL about the outer query's `Deal` row.

The same facts `queries._touch_stats` reads for a loaded board (first touch, latest
activity, touches and a reply in the current stage), written as correlated EXISTS and
scalar subqueries, so a WHERE clause can ask about them on a board too big to load and
without a join that would repeat a deal once per activity. Each is a lookup through
the activities' `deal_id` index, run only for the rows that reach it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, Exists, ScalarSelect, Select, func, select

from dealboard.db.models import Activity, Deal
from dealboard.vocabulary import ActivityKind

#: A touch: done, and not a note (nobody heard from us).
DONE_TOUCH = Activity.done_at.is_not(None) & (Activity.kind != ActivityKind.NOTE)
#: A touch since the deal entered its current stage: an attempt of the stage's cadence.
TOUCH_IN_STAGE = DONE_TOUCH & (Activity.done_at >= Deal.stage_entered_at)


def _activities_of_deal(*conditions: ColumnElement[bool]) -> Select:
    return select(Activity.id).where(Activity.deal_id == Deal.id, *conditions).correlate(Deal)


def ever_touched() -> Exists:
    """`first_touch_at is not None`: some touch was done, at any time."""
    return _activities_of_deal(DONE_TOUCH).exists()


def active_since(instant: datetime) -> Exists:
    """`last_activity_at >= instant`: an activity (any kind, done or only planned) since then.

    An activity counts from when it was done, else from when it was written down.
    """
    return _activities_of_deal(
        func.coalesce(Activity.done_at, Activity.created_at) >= instant
    ).exists()


def touches_in_stage() -> ScalarSelect[int]:
    """`touches_in_stage`: how many touches were done since the deal entered its stage."""
    return (
        select(func.count(Activity.id))
        .where(Activity.deal_id == Deal.id, TOUCH_IN_STAGE)
        .correlate(Deal)
        .scalar_subquery()
    )


def reached_in_stage() -> Exists:
    """`reached_in_stage`: one of those touches reached the buyer."""
    return _activities_of_deal(TOUCH_IN_STAGE, Activity.reached).exists()
