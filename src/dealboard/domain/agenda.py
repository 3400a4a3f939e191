"""The agenda: what a rep has to do next, across all their deals, most urgent first.

Two sources feed it: scheduled activities not yet done (a call booked for
Thursday) and deals' next steps with a due date. Both are read with one
query each, whatever the number of deals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from dealboard.db.models import Activity, Deal, Stage, User
from dealboard.domain.activities import due_day
from dealboard.vocabulary import StageKind


class When(StrEnum):
    """The agenda's three groups."""

    OVERDUE = "overdue"
    TODAY = "today"
    UPCOMING = "upcoming"


@dataclass(frozen=True)
class AgendaItem:
    """One thing to do, on one deal."""

    due: date
    when: When
    what: str
    kind: str
    deal_id: int
    deal_title: str
    account: str
    stage: str
    owner: str
    activity_id: int | None = None


def agenda(session: Session, user: User, today: date) -> list[AgendaItem]:
    """The user's open activities and next steps on open deals, by due date then deal."""
    open_deal = (Stage.id == Deal.stage_id) & (Stage.kind == StageKind.OPEN)
    owner = User.__table__.alias("owner")
    activities = session.execute(
        select(Activity, Deal.id, Deal.title, Deal.account, Stage.name, owner.c.name)
        .join(Deal, Deal.id == Activity.deal_id)
        .join(Stage, open_deal)
        .join(owner, owner.c.id == Deal.owner_id)
        .where(
            Activity.done_at.is_(None),
            Activity.due_at.is_not(None),
            or_(Activity.user_id == user.id, Deal.owner_id == user.id),
        )
    ).all()
    items = [
        _item(
            due_day(activity.due_at) if activity.due_at else today,
            today,
            activity.subject,
            activity.kind.value,
            (deal_id, title, account, stage, owner_name),
            activity.id,
        )
        for activity, deal_id, title, account, stage, owner_name in activities
    ]
    steps = session.execute(
        select(Deal.next_step_due, Deal.next_step, Deal.id, Deal.title, Deal.account, Stage.name)
        .join(Stage, open_deal)
        .where(Deal.owner_id == user.id, Deal.next_step_due.is_not(None))
    ).all()
    items += [
        _item(due, today, step or "next step", "next step", (i, t, a, s, user.name))
        for due, step, i, t, a, s in steps
    ]
    return sorted(items, key=lambda item: (item.due, item.deal_title.lower(), item.what))


def _item(
    due: date,
    today: date,
    what: str,
    kind: str,
    deal: tuple[int, str, str, str, str],
    activity_id: int | None = None,
) -> AgendaItem:
    when = When.OVERDUE if due < today else When.TODAY if due == today else When.UPCOMING
    deal_id, title, account, stage, owner = deal
    return AgendaItem(due, when, what, kind, deal_id, title, account, stage, owner, activity_id)
