"""The agenda: what a rep has to do next, across all their deals, most urgent first.

Two sources feed it: scheduled activities not yet done (a call booked for
Thursday) and deals' next steps with a due date. Both are read with one
query each, whatever the number of deals or owners. A third group follows
them: customers due a touch (`dealboard.domain.nurture`), the reader's own
(accounts whose won deals they own), or everyone's on the team agenda. A manager may read the
whole team's agenda at once, grouped by owner, to see who is behind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, true
from sqlalchemy.orm import Session

from dealboard.db.models import Activity, Deal, Stage, User
from dealboard.domain import users
from dealboard.domain.activities import due_day
from dealboard.domain.nurture import NurtureDue, due_for_nurture
from dealboard.domain.records import UserRecord
from dealboard.vocabulary import Role, StageKind

#: What a rep is refused, in `only a manager may …`.
TEAM_AGENDA = "see the team agenda"


class When(StrEnum):
    """The agenda's three groups."""

    OVERDUE = "overdue"
    TODAY = "today"
    UPCOMING = "upcoming"
    #: A customer due a touch: the account's latest won deal stands for it.
    NURTURE = "nurture"


@dataclass(frozen=True)
class AgendaItem:
    """One thing to do, on one deal; `owner` is the deal owner's login."""

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
    #: The owner's display name, for grouping a team agenda by person.
    owner_display_name: str = ""
    #: The customer a nurture item is about (None for the other items).
    account_id: int | None = None

    @property
    def key(self) -> int:
        """A number naming this item among every agenda's items (an activity, a next step,
        or a customer to nurture: negative)."""
        if self.account_id is not None and self.when is When.NURTURE:
            return -self.account_id
        return self.activity_id * 2 if self.activity_id is not None else self.deal_id * 2 + 1


@dataclass(frozen=True)
class AgendaView:
    """An agenda as a screen shows it: the items, whether it is the team's, and who reads it."""

    items: list[AgendaItem]
    team: bool
    reader: UserRecord
    #: The reader's calendar day the items were sorted into overdue, today and upcoming by.
    today: date

    @property
    def may_see_team(self) -> bool:
        """Whether the reader may switch to the team agenda (managers only)."""
        return may_see_team(self.reader)


def counts(items: Sequence[AgendaItem]) -> str:
    """`2 overdue, 1 today, 9 in all`: an agenda's title, or one owner's in a team agenda."""
    late = sum(1 for i in items if i.when is When.OVERDUE)
    due_today = sum(1 for i in items if i.when is When.TODAY)
    nurture = sum(1 for i in items if i.when is When.NURTURE)
    also = f", {nurture} to nurture" if nurture else ""
    return f"{late} overdue, {due_today} today{also}, {len(items)} in all"


def may_see_team(reader: User | UserRecord) -> bool:
    """Managers see every owner's agenda; a rep sees their own."""
    return reader.role is Role.MANAGER


def require_team_agenda(reader: User | UserRecord) -> None:
    """Refuse a rep the team agenda, in the one-line words of every manager-only act."""
    users.require_manager(reader, TEAM_AGENDA)


def agenda_view(session: Session, reader: User, today: date, *, team: bool) -> AgendaView:
    """`reader`'s own agenda, or (managers only) the whole team's."""
    items = agenda(session, reader, today, team=team)
    return AgendaView(items, team, users.to_record(reader), today)


def agenda(session: Session, user: User, today: date, *, team: bool = False) -> list[AgendaItem]:
    """Open activities and next steps on open deals, by due date then deal.

    `team` (managers only) reads every owner's, sorted by owner then urgency;
    an activity then counts under the deal's owner, once.
    """
    if team:
        require_team_agenda(user)
    open_deal = (Stage.id == Deal.stage_id) & (Stage.kind == StageKind.OPEN)
    owner = User.__table__.alias("owner")
    mine_activities: ColumnElement[bool] = (
        true() if team else or_(Activity.user_id == user.id, Deal.owner_id == user.id)
    )
    deal = (Deal.id, Deal.title, Deal.account, Stage.name, owner.c.name, owner.c.display_name)
    activities = session.execute(
        select(Activity, *deal)
        .join(Deal, Deal.id == Activity.deal_id)
        .join(Stage, open_deal)
        .join(owner, owner.c.id == Deal.owner_id)
        .where(and_(Activity.done_at.is_(None), Activity.due_at.is_not(None), mine_activities))
    ).all()
    items = [
        _item(
            due_day(activity.due_at) if activity.due_at else today,
            today,
            activity.subject,
            activity.kind.value,
            row,
            activity.id,
        )
        for activity, *row in activities
    ]
    mine_steps: ColumnElement[bool] = true() if team else Deal.owner_id == user.id
    steps = session.execute(
        select(Deal.next_step_due, Deal.next_step, *deal)
        .join(Stage, open_deal)
        .join(owner, owner.c.id == Deal.owner_id)
        .where(and_(Deal.next_step_due.is_not(None), mine_steps))
    ).all()
    items += [_item(due, today, step or "next step", "next step", row) for due, step, *row in steps]
    customers = due_for_nurture(session, today, owner_id=None if team else user.id)
    items += [_nurture_item(customer) for customer in customers]
    return sorted(items, key=_by_owner if team else _by_urgency)


def _nurture_item(customer: NurtureDue) -> AgendaItem:
    return AgendaItem(
        due=customer.due,
        when=When.NURTURE,
        what=f"{customer.account}: {customer.what}",
        kind="nurture",
        deal_id=customer.deal_id,
        deal_title=customer.deal_title,
        account=customer.account,
        stage="customer",
        owner=customer.owner,
        owner_display_name=customer.owner_display,
        account_id=customer.account_id,
    )


def _by_urgency(item: AgendaItem) -> tuple[bool, date, str, str]:
    """Due date first; customers to nurture after everything else, most overdue first."""
    return (item.when is When.NURTURE, item.due, item.deal_title.lower(), item.what)


def _by_owner(item: AgendaItem) -> tuple[str, str, bool, date, str, str]:
    name = item.owner_display_name or item.owner
    return (name.lower(), item.owner, *_by_urgency(item))


def _item(
    due: date,
    today: date,
    what: str,
    kind: str,
    deal: Sequence[Any],
    activity_id: int | None = None,
) -> AgendaItem:
    """`deal` is the row's deal id, title, account, stage, owner login and display name."""
    when = When.OVERDUE if due < today else When.TODAY if due == today else When.UPCOMING
    deal_id, title, account, stage, owner, display_name = deal
    return AgendaItem(
        due, when, what, kind, deal_id, title, account, stage, owner, activity_id, display_name
    )
