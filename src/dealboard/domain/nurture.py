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

Two queries, whatever the number of customers or deals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
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


@dataclass
class _Customer:
    account: str
    nurture_days: int
    won_at: datetime
    deal: tuple[int, str, str, str, str]
    owners: set[int]


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
    """
    won = (
        select(
            Deal.account_id,
            Account.name,
            Pipeline.nurture_days,
            func.coalesce(Deal.closed_at, Deal.stage_entered_at),
            Deal.id,
            Deal.title,
            Pipeline.name,
            User.name,
            User.display_name,
            Deal.owner_id,
        )
        .join(Stage, Stage.id == Deal.stage_id)
        .join(Pipeline, Pipeline.id == Deal.pipeline_id)
        .join(Account, Account.id == Deal.account_id)
        .join(User, User.id == Deal.owner_id)
        .where(Stage.kind == StageKind.WON, Pipeline.nurture_days.is_not(None))
    )
    if pipeline_id is not None:
        won = won.where(Deal.pipeline_id == pipeline_id)
    customers: dict[int, _Customer] = {}
    for (
        account_id,
        name,
        days,
        won_at,
        deal_id,
        title,
        pipeline,
        login,
        display,
        owner,
    ) in session.execute(won):
        deal = (deal_id, title, pipeline, login, display or login)
        found = customers.get(account_id)
        if found is None:
            customers[account_id] = _Customer(name, days, won_at, deal, {owner})
            continue
        found.nurture_days = min(found.nurture_days, days)
        found.owners.add(owner)
        if (won_at, deal_id) > (found.won_at, found.deal[0]):
            found.won_at, found.deal = won_at, deal
    if owner_id is not None:
        customers = {k: c for k, c in customers.items() if owner_id in c.owners}
    if not customers:
        return ()
    touched = pairs(
        session,
        select(Deal.account_id, func.max(Activity.done_at))
        .join(Deal, Deal.id == Activity.deal_id)
        .where(DONE_TOUCH, Deal.account_id.in_(won.with_only_columns(Deal.account_id)))
        .group_by(Deal.account_id),
    )
    due = []
    for account_id, customer in customers.items():
        touch = touched.get(account_id)
        last = max(touch, customer.won_at) if touch is not None else customer.won_at
        days = (today - last.astimezone().date()).days
        if days > customer.nurture_days:
            deal_id, title, pipeline, login, display = customer.deal
            due.append(
                NurtureDue(
                    account_id,
                    customer.account,
                    last,
                    touch is not None and touch >= customer.won_at,
                    days,
                    customer.nurture_days,
                    deal_id,
                    title,
                    pipeline,
                    login,
                    display,
                )
            )
    return tuple(sorted(due, key=lambda d: (-d.overdue_days, d.account.casefold(), d.account_id)))
