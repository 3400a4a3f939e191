"""The nurture list: customers nobody has touched for longer than their pipeline asks.

"Your best customers are repeat customers": a won deal is where the next one
starts, if someone keeps in touch. A pipeline file sets `nurture_days = 90`;
the agenda and the stand-up then name every customer of that pipeline gone
quiet for longer.

- A **customer** is an account with a won deal in a pipeline that sets
  `nurture_days`. With won deals in several such pipelines, the smallest
  `nurture_days` among them applies: the most demanding promise is the one kept.
- Its **last touch** is the latest touch done (call, email, meeting, social; not
  a note) on any of its deals, in any pipeline, or the close of its latest won
  deal when that is later (signing is a conversation too; a customer won
  yesterday is not overdue because the last call was months ago).
- It is **due** once more than `nurture_days` whole days (the user's calendar)
  have passed since then. Most overdue first.
- Whose: a rep's own customers are the accounts whose won deals they own; the
  entry names the owner of the latest won deal, where a touch is naturally logged.

Three queries, whatever the number of customers or deals; rows per customer, not per deal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from dealboard.db.models import Account, Activity, Deal, Pipeline, Stage, User
from dealboard.domain.touch_sql import DONE_TOUCH
from dealboard.domain.views.account_read import pairs
from dealboard.vocabulary import StageKind


@dataclass(frozen=True)
class NurtureDue:
    """A customer due a touch, and the won deal a touch would be logged on."""

    account_id: int
    account: str
    #: The latest touch on any of its deals, or its latest win when that is later.
    last_touch: datetime
    #: False: no touch since the latest win; `last_touch` is that win.
    touched: bool
    #: Whole days since `last_touch`, in the user's calendar.
    days: int
    nurture_days: int
    #: The latest won deal: where the entry opens and a touch goes.
    deal_id: int
    deal_title: str
    pipeline: str
    owner: str
    owner_display: str

    @property
    def overdue_days(self) -> int:
        """Days past the nurture window (at least 1: only overdue customers are listed)."""
        return self.days - self.nurture_days

    @property
    def due(self) -> date:
        """The last day the customer was still within the window."""
        return self.last_touch.astimezone().date() + timedelta(days=self.nurture_days)

    @property
    def what(self) -> str:
        """`Untouched 120 days (every 90)`: the to-do, short enough for an 80-column agenda."""
        every = f"(every {self.nurture_days})"
        if self.touched:
            return f"Untouched {self.days} days {every}"
        return f"Won {self.days} days ago, untouched since {every}"


def due_for_nurture(
    session: Session,
    today: date,
    *,
    owner_id: int | None = None,
    pipeline_id: int | None = None,
) -> tuple[NurtureDue, ...]:
    """Customers due a touch on `today`, most overdue first.

    `owner_id`: only accounts with a won deal that person owns (a rep's agenda);
    `pipeline_id`: only won deals of that pipeline make a customer (a stand-up of one pipeline).
    The database groups by account (a board of 100,000 deals has tens of thousands of won
    ones, re-read on every change): Python sees one row per customer, and deal details only
    for those due.
    """
    won_at = func.coalesce(Deal.closed_at, Deal.stage_entered_at)
    won_conditions = [
        Stage.kind == StageKind.WON,
        Pipeline.nurture_days.is_not(None),
        Deal.account_id.is_not(None),
    ]
    if pipeline_id is not None:
        won_conditions.append(Deal.pipeline_id == pipeline_id)

    def won_deals(*columns: Any) -> Select[Any]:
        return (
            select(*columns)
            .join(Stage, Stage.id == Deal.stage_id)
            .join(Pipeline, Pipeline.id == Deal.pipeline_id)
            .where(*won_conditions)
        )

    customers = won_deals(
        Deal.account_id, func.min(Pipeline.nurture_days), func.max(won_at)
    ).group_by(Deal.account_id)
    if owner_id is not None:
        mine = won_deals(Deal.account_id).where(Deal.owner_id == owner_id)
        customers = customers.where(Deal.account_id.in_(mine))
    latest = {row[0]: (int(row[1]), row[2]) for row in session.execute(customers)}
    if not latest:
        return ()
    touched = pairs(
        session,
        select(Deal.account_id, func.max(Activity.done_at))
        .join(Deal, Deal.id == Activity.deal_id)
        .where(DONE_TOUCH, Deal.account_id.in_(customers.with_only_columns(Deal.account_id)))
        .group_by(Deal.account_id),
    )
    overdue: dict[int, tuple[datetime, bool, int, int]] = {}
    for account_id, (nurture_days, last_win) in latest.items():
        touch = touched.get(account_id)
        last = max(touch, last_win) if touch is not None else last_win
        days = (today - last.astimezone().date()).days
        if days > nurture_days:
            overdue[account_id] = (
                last,
                touch is not None and touch >= last_win,
                days,
                nurture_days,
            )
    if not overdue:
        return ()
    due = []
    for account_id, name, deal_id, title, pipeline, login, display in _latest_wins(
        session, won_deals, won_at, list(overdue)
    ):
        last, was_touched, days, nurture_days = overdue[account_id]
        due.append(
            NurtureDue(
                account_id,
                name,
                last,
                was_touched,
                days,
                nurture_days,
                deal_id,
                title,
                pipeline,
                login,
                display or login,
            )
        )
    return tuple(sorted(due, key=lambda d: (-d.overdue_days, d.account.casefold(), d.account_id)))


def _latest_wins(
    session: Session,
    won_deals: Callable[..., Select[Any]],
    won_at: ColumnElement[datetime],
    account_ids: list[int],
) -> list[tuple[int, str, int, str, str, str, str]]:
    """Each due account's latest won deal (and its owner), where its entry opens."""
    rows = session.execute(
        won_deals(
            Deal.account_id,
            Account.name,
            Deal.id,
            Deal.title,
            Pipeline.name,
            User.name,
            User.display_name,
        )
        .join(Account, Account.id == Deal.account_id)
        .join(User, User.id == Deal.owner_id)
        .where(Deal.account_id.in_(account_ids))
        .order_by(Deal.account_id, won_at.desc(), Deal.id.desc())
    )
    latest: dict[int, tuple[int, str, int, str, str, str, str]] = {}
    for row in rows:
        latest.setdefault(row[0], tuple(row))  # type: ignore[arg-type]
    return list(latest.values())
