"""Monthly won-value goals per owner and for the team, and how far each month has come.

**A goal** is an amount of won value for one calendar month, for one owner or
for the team (`team`, stored with no user). Managers set, replace and clear
them; every change is in the audit log (`dealboard log`). There is one goal per
owner, month and currency: setting it again replaces it. Currencies are never
converted: a goal typed without one (`50k`) is in the board's main currency
(its first pipeline's); `EUR 50k` is a goal in euros, held only against deals
in euros.

**Months** are typed `YYYY-MM`; none means the user's current month (their
time zone, like every "today" of the app).

**Won in the month** is the owners report's won value: deals whose stage is a
won stage now and whose `closed_at` falls in the month, from the user's local
midnight of the 1st to that of the next 1st; a reopened deal no longer counts.
A goal belongs to a person, not to a pipeline, so every pipeline's deals count.
The team's won value is everyone's.

**Attainment** = won ÷ goal (a percent, past 100 when beaten); **remaining** =
goal − won, never below zero.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealboard.db.models import Deal, Goal, Pipeline, Stage, User
from dealboard.domain import audit, users
from dealboard.domain.errors import InvalidInput, NotFound
from dealboard.domain.money import Money, format_compact, format_money, parse_money
from dealboard.vocabulary import StageKind

#: What names the team's goal where an owner is expected.
TEAM = "team"
#: How the team's row is named.
TEAM_NAME = "Team"
#: PostgreSQL advisory lock key: goal writes take turns, so two managers setting the same
#: goal at once leave one row, not two (the table cannot say unique with a NULL team).
GOALS_LOCK = 0x676F616C  # "goal"
_MONTH = re.compile(r"(?P<year>\d{4})-(?P<month>0[1-9]|1[0-2])")
_MONTH_ACCEPTED = "give a month as YYYY-MM from 1900-01 to 9998-12, like 2026-12"
#: Years a sales goal can be for; the bounds keep every month's calendar arithmetic valid.
_YEARS = range(1900, 9999)


@dataclass(frozen=True)
class GoalRecord:
    """One stored goal; `owner` is None for the team's."""

    owner: str | None
    display_name: str
    month: str
    amount: Money
    set_by: str
    set_at: datetime


@dataclass(frozen=True)
class Attainment:
    """A goal and the month's won value against it, in the goal's currency."""

    goal: GoalRecord
    won_minor: int
    won_deals: int

    @property
    def percent(self) -> float | None:
        """Won as a share of the goal, 0–∞; None for a zero goal."""
        return 100 * self.won_minor / self.goal.amount.minor if self.goal.amount.minor else None

    @property
    def remaining_minor(self) -> int:
        """What is left to win; 0 once the goal is met."""
        return max(self.goal.amount.minor - self.won_minor, 0)


@dataclass(frozen=True)
class MonthGoals:
    """Every goal of one month with its attainment: owners by name, then the team's."""

    month: str
    owners: tuple[Attainment, ...] = ()
    team: tuple[Attainment, ...] = ()

    def of(self, owner: str, currency: str | None = None) -> Attainment | None:
        """The owner's goal (login, any case), in `currency` if they have several."""
        mine = [a for a in self.owners if (a.goal.owner or "").lower() == owner.lower()]
        return _pick(mine, currency)

    def team_goal(self, currency: str | None = None) -> Attainment | None:
        """The team's goal, in `currency` when there are several."""
        return _pick(list(self.team), currency)


def percent_text(attainment: Attainment) -> str:
    """`70%`; `—` for a zero goal."""
    percent = attainment.percent
    return "—" if percent is None else f"{percent:.0f}%"


def attainment_line(attainment: Attainment) -> str:
    """`$70k won of $100k (70%) · $30k to go`, or `… · goal met`."""
    currency = attainment.goal.amount.currency
    won = format_compact(attainment.won_minor, currency)
    goal = format_compact(attainment.goal.amount.minor, currency)
    left = attainment.remaining_minor
    rest = f"{format_compact(left, currency)} to go" if left else "goal met"
    return f"{won} won of {goal} ({percent_text(attainment)}) · {rest}"


def _pick(found: list[Attainment], currency: str | None) -> Attainment | None:
    """The one in `currency`, else the first."""
    return next((a for a in found if a.goal.amount.currency == currency), None) or (
        found[0] if found else None
    )


# -- months -------------------------------------------------------------------------


def month_of(day: date) -> str:
    """`2026-12`: the month of a day."""
    return f"{day:%Y-%m}"


def parse_month(text: str | None, today: date) -> str:
    """A month as typed (`2026-12`, strictly); nothing typed means `today`'s month."""
    if text is None or not text.strip():
        return month_of(today)
    match = _MONTH.fullmatch(text.strip())
    if not match or int(match.group("year")) not in _YEARS:
        raise InvalidInput("month", text, _MONTH_ACCEPTED)
    return match.group(0)


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """`[start, end)` of a `YYYY-MM` month: local midnight of its 1st and of the next 1st."""
    year, number = int(month[:4]), int(month[5:7])
    following = date(year + 1, 1, 1) if number == 12 else date(year, number + 1, 1)
    start = datetime.combine(date(year, number, 1), time.min).astimezone()
    return start, datetime.combine(following, time.min).astimezone()


def month_label(month: str) -> str:
    """`December 2026`."""
    return f"{date(int(month[:4]), int(month[5:7]), 1):%B %Y}"


# -- reading ------------------------------------------------------------------------


def main_currency(session: Session) -> str:
    """The board's main currency: its first pipeline's (USD on a board without one)."""
    return session.scalar(select(Pipeline.currency).order_by(Pipeline.id).limit(1)) or "USD"


def won_in_month(session: Session, month: str) -> dict[tuple[int, str], tuple[int, int]]:
    """Per (owner id, currency): (value, deals) won in the month, over every pipeline."""
    start, end = month_bounds(month)
    query = (
        select(
            Deal.owner_id,
            Deal.currency,
            func.coalesce(func.sum(Deal.value_minor), 0),
            func.count(Deal.id),
        )
        .join(Stage, Stage.id == Deal.stage_id)
        .where(Stage.kind == StageKind.WON, Deal.closed_at >= start, Deal.closed_at < end)
        .group_by(Deal.owner_id, Deal.currency)
    )
    return {(owner, currency): (int(v), int(n)) for owner, currency, v, n in session.execute(query)}


def goals_of_month(session: Session, month: str) -> list[GoalRecord]:
    """The month's goals: owners by display name, then the team's; one per owner and currency
    (the latest, should two writers ever have raced past the lock)."""
    owner, setter = User.__table__.alias("owner"), User.__table__.alias("setter")
    rows = session.execute(
        select(Goal, owner.c.name, owner.c.display_name, setter.c.name)
        .outerjoin(owner, owner.c.id == Goal.user_id)
        .join(setter, setter.c.id == Goal.set_by_id)
        .where(Goal.month == month)
        .order_by(Goal.id)
    ).all()
    latest: dict[tuple[int | None, str], GoalRecord] = {}
    for goal, login, display, set_by in rows:
        latest[(goal.user_id, goal.currency)] = GoalRecord(
            owner=login,
            display_name=(display or login) if login else TEAM_NAME,
            month=goal.month,
            amount=Money(goal.amount_minor, goal.currency),
            set_by=set_by,
            set_at=goal.set_at,
        )
    return sorted(
        latest.values(),
        key=lambda g: (g.owner is None, g.display_name.casefold(), g.owner or "", g.amount),
    )


def month_goals(session: Session, month: str) -> MonthGoals:
    """The month's goals, each with the won value against it."""
    goals = goals_of_month(session, month)
    if not goals:
        return MonthGoals(month)
    won = won_in_month(session, month)
    ids = dict(session.execute(select(func.lower(User.name), User.id)).all())
    owners, team = [], []
    for goal in goals:
        currency = goal.amount.currency
        if goal.owner is None:
            value = sum(v for (_, c), (v, _) in won.items() if c == currency)
            deals = sum(n for (_, c), (_, n) in won.items() if c == currency)
            team.append(Attainment(goal, value, deals))
        else:
            value, deals = won.get((ids.get(goal.owner.lower(), -1), currency), (0, 0))
            owners.append(Attainment(goal, value, deals))
    return MonthGoals(month, tuple(owners), tuple(team))


# -- writing ------------------------------------------------------------------------


def _whose(session: Session, owner: str) -> User | None:
    """The owner named (login or display name), or None for `team`."""
    if " ".join(owner.split()).casefold() == TEAM:
        return None
    return users.find_user(session, owner, "owner")


def _take_turns(session: Session) -> None:
    """Goal writes of one board wait for each other; boards in other schemas of the same
    database never wait on this board (an advisory lock is database-wide, so it is keyed by
    the schema too)."""
    if session.get_bind().dialect.name == "postgresql":
        board = func.hashtext(func.current_schema())
        session.execute(select(func.pg_advisory_xact_lock(GOALS_LOCK, board)))


def _stored(session: Session, user: User | None, month: str, currency: str | None) -> list[Goal]:
    query = select(Goal).where(Goal.month == month).order_by(Goal.id)
    query = query.where(Goal.user_id.is_(None) if user is None else Goal.user_id == user.id)
    if currency is not None:
        query = query.where(Goal.currency == currency)
    return list(session.scalars(query))


def set_goal(
    session: Session,
    actor: User,
    owner: str,
    amount: str,
    month: str | None,
    *,
    today: date,
    now: datetime,
    currency: str | None = None,
) -> GoalRecord:
    """Set (or replace) an owner's or the team's goal for a month; managers only.

    `currency` is what an amount without one means (default: the board's main currency).
    """
    users.require_manager(actor, "set goals")
    user = _whose(session, owner)
    chosen = parse_month(month, today)
    money = parse_money(amount, currency or main_currency(session), field="amount")
    if money.minor <= 0:
        raise InvalidInput("amount", amount, "give an amount above zero (goal clear removes one)")
    _take_turns(session)
    stored = _stored(session, user, chosen, money.currency)
    old = stored[-1].amount_minor if stored else None
    for extra in stored[:-1]:
        session.delete(extra)
    if stored:
        goal = stored[-1]
        goal.amount_minor, goal.set_by_id, goal.set_at = money.minor, actor.id, now
    else:
        goal = Goal(
            user_id=user.id if user else None,
            month=chosen,
            amount_minor=money.minor,
            currency=money.currency,
            set_by_id=actor.id,
            set_at=now,
        )
        session.add(goal)
    session.flush()
    _audit(session, actor, goal, user, "set", old, money.minor, now)
    return GoalRecord(
        owner=user.name if user else None,
        display_name=(user.display_name or user.name) if user else TEAM_NAME,
        month=chosen,
        amount=money,
        set_by=actor.name,
        set_at=now,
    )


def clear_goal(
    session: Session,
    actor: User,
    owner: str,
    month: str | None,
    *,
    today: date,
    now: datetime,
) -> int:
    """Remove an owner's or the team's goals for a month (every currency); how many went."""
    users.require_manager(actor, "clear goals")
    user = _whose(session, owner)
    chosen = parse_month(month, today)
    _take_turns(session)
    stored = _stored(session, user, chosen, None)
    if not stored:
        who = user.name if user else TEAM
        raise NotFound("goal", f"{who} {chosen}", "dealboard goal list --month shows the goals")
    for goal in stored:
        _audit(session, actor, goal, user, "clear", goal.amount_minor, None, now)
        session.delete(goal)
    return len({goal.currency for goal in stored})


def _audit(
    session: Session,
    actor: User,
    goal: Goal,
    user: User | None,
    action: str,
    old: int | None,
    new: int | None,
    now: datetime,
) -> None:
    """`goal 3 · goal owner: sam`, `goal month: 2026-12`, `goal amount: USD 40,000.00 → …`."""

    def amount(minor: int | None) -> str | None:
        return None if minor is None else format_money(minor, goal.currency)

    shown = {
        "owner": (None, user.name if user else TEAM),
        "month": (None, goal.month),
        "amount": (amount(old), amount(new)),
    }
    audit.record(
        session,
        actor,
        action=action,
        entity="goal",
        entity_id=goal.id,
        deal_id=None,
        at=now,
        changes=shown,
    )
