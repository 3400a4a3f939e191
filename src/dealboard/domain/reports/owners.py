"""The owners' leaderboard: won value, win rate, activity and SLA compliance per person.

Per owner (the deal's owner now, so a reassigned deal counts for its new owner):

- **won** / **won value**: deals won in the window, and their value per currency;
- **win rate**: won ÷ closed (won + lost) in the window, with both counts;
- **activities**: touches the person logged as done in the window on the
  pipeline's deals (a call, email, meeting or social touch; a note is not a
  touch, as in `dealboard.domain.sla`); with `--owner`, that person's touches;
- **SLA**: leads created in the window answered within the speed to lead, out of
  those that can be judged: the SLA report's `within_sla`/`judged`
  (`dealboard.domain.sla`, `responded_in_time`). Worked out here as one grouped
  query, because the SLA report builds every lead's full summary in Python
  (8 s for 100,000 leads); a test holds the two to the same answers.

- **goal** (`dealboard.domain.goals`): the owner's goal for the month the window
  ends in (the current month when the window runs to now), in the pipeline's
  currency if they have one in it; **won in the month** and **attainment** against
  it count every pipeline, as `dealboard goal list` does (a goal is a person's,
  not a pipeline's). Owners with a goal are listed even with nothing else.

Sorted by won value in the pipeline's currency, then deals won, then name; a
team row adds everyone up (its SLA is the SLA report's team row; its goal the team's).
Three aggregate queries: the deals per owner (closed in the window; leads past
their minutes), touches, and first touches per owner.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from sqlalchemy import Numeric, and_, case, cast, false, func, select
from sqlalchemy.orm import Session

from dealboard.db.models import Activity, Deal, User
from dealboard.domain.goals import Attainment, month_goals, month_of, won_in_month
from dealboard.domain.money import Money
from dealboard.domain.reports.figures import CurrencyTotal, Rate, add_into, totals
from dealboard.domain.reports.scope import (
    ReportScope,
    deal_conditions,
    in_window,
    stage_ids,
    stage_kinds,
)
from dealboard.domain.reports.sql import seconds_between
from dealboard.vocabulary import ActivityKind, StageKind


@dataclass(frozen=True)
class OwnerRow:
    """One person's line of the leaderboard; `owner` is None on the team row."""

    owner: str | None
    display_name: str
    won: int
    won_value: tuple[CurrencyTotal, ...]
    win_rate: Rate
    activities: int
    #: Leads answered within the speed to lead, out of the leads that can be judged.
    sla: Rate
    #: The month's goal and the won value against it (None: no goal that month).
    goal: Attainment | None = None
    #: Won in the goal's month (every pipeline), in the goal's currency, else the pipeline's.
    month_won: Money | None = None


@dataclass(frozen=True)
class OwnersReport:
    """The leaderboard and the team's line."""

    scope: ReportScope
    owners: tuple[OwnerRow, ...]
    team: OwnerRow
    #: The month the goal columns are about, `YYYY-MM`.
    goal_month: str = ""


def build_owners(session: Session, scope: ReportScope) -> OwnersReport:
    """Closed deals, touches and leads answered in time, each grouped per owner in SQL."""
    closed, past = _deals_per_owner(session, scope)
    touches = _touches(session, scope)
    sla = _sla(session, scope, past)
    people = {
        user_id: (name, display)
        for user_id, name, display in session.execute(
            select(User.id, User.name, User.display_name).where(
                User.id.in_({*closed, *touches, *(k for k in sla if k is not None)})
            )
        )
    }
    rows = []
    team_won: dict[str, tuple[int, int]] = {}
    team_lost = 0
    for user_id, (name, display) in people.items():
        lost, won = closed.get(user_id, (0, {}))
        team_lost += lost
        for currency, (total, count) in won.items():
            add_into(team_won, currency, total, count)
        activities = touches.get(user_id, 0)
        rows.append(_row(name, display or name, won, lost, activities, sla.get(user_id), scope))
    team_sla = sla.get(None)
    team = _row(None, "Team", team_won, team_lost, sum(touches.values()), team_sla, scope)
    month = goal_month(scope)
    rows, team = _with_goals(session, scope, month, rows, team)
    rows.sort(key=lambda r: (-_main_value(r, scope.currency), -r.won, (r.owner or "").casefold()))
    return OwnersReport(scope=scope, owners=tuple(rows), team=team, goal_month=month)


def goal_month(scope: ReportScope) -> str:
    """The month the window ends in (its last instant's, locally); now's when it runs to now."""
    end = scope.until - timedelta(microseconds=1) if scope.until else scope.now
    return month_of(end.astimezone().date())


def _with_goals(
    session: Session, scope: ReportScope, month: str, rows: list[OwnerRow], team: OwnerRow
) -> tuple[list[OwnerRow], OwnerRow]:
    """Each row with its owner's goal; owners with a goal and no row get one."""
    goals = month_goals(session, month)
    ids: dict[str, int] = dict(session.execute(select(func.lower(User.name), User.id)).all())
    listed = {(r.owner or "").lower() for r in rows}
    for attainment in goals.owners:
        owner = attainment.goal.owner or ""
        wanted = scope.owner_id is None or ids.get(owner.lower()) == scope.owner_id
        if wanted and owner.lower() not in listed:
            listed.add(owner.lower())
            rows.append(_row(owner, attainment.goal.display_name, {}, 0, 0, None, scope))
    won = won_in_month(session, month)

    def month_won(owner: str | None, currency: str) -> Money:
        if owner is None:
            return Money(sum(v for (_, c), (v, _) in won.items() if c == currency), currency)
        return Money(won.get((ids.get(owner.lower(), -1), currency), (0, 0))[0], currency)

    def goal_of(row: OwnerRow) -> OwnerRow:
        found = (
            goals.of(row.owner, scope.currency) if row.owner else goals.team_goal(scope.currency)
        )
        currency = found.goal.amount.currency if found else scope.currency
        return replace(row, goal=found, month_won=month_won(row.owner, currency))

    return [goal_of(row) for row in rows], goal_of(team)


_Closed = dict[int, tuple[int, dict[str, tuple[int, int]]]]


def _deals_per_owner(session: Session, scope: ReportScope) -> tuple[_Closed, dict[int, int]]:
    """One pass over the deals: per owner, the lost count and won sums of the window's
    closed deals, and how many of the window's leads are past their speed to lead."""
    kinds = stage_kinds(scope)
    closing = and_(
        Deal.stage_id.in_(stage_ids(scope, StageKind.WON, StageKind.LOST)),
        *in_window(Deal.closed_at, scope),
    )
    minutes = scope.pipeline.speed_to_lead_minutes
    past = (
        and_(
            *in_window(Deal.created_at, scope),
            Deal.imported_at.is_(None),
            Deal.created_at < scope.now - timedelta(minutes=minutes),
        )
        if minutes is not None
        else false()
    )
    closed: _Closed = {}
    past_counts: dict[int, int] = {}
    for owner_id, stage_id, currency, count, value, leads_past in session.execute(
        select(
            Deal.owner_id,
            Deal.stage_id,
            Deal.currency,
            func.count(case((closing, 1))),
            func.sum(case((closing, Deal.value_minor), else_=0)),
            func.count(case((past, 1))),
        )
        .where(*deal_conditions(scope))
        .group_by(Deal.owner_id, Deal.stage_id, Deal.currency)
    ):
        if leads_past:
            past_counts[owner_id] = past_counts.get(owner_id, 0) + leads_past
        if not count:
            continue
        lost, won = closed.get(owner_id, (0, {}))
        if kinds[stage_id] is StageKind.WON:
            add_into(won, currency, value, count)
        else:
            lost += count
        closed[owner_id] = (lost, won)
    return closed, past_counts


def _row(
    owner: str | None,
    display: str,
    won: dict[str, tuple[int, int]],
    lost: int,
    activities: int,
    sla: Rate | None,
    scope: ReportScope,
) -> OwnerRow:
    won_count = sum(count for _, count in won.values())
    return OwnerRow(
        owner=owner,
        display_name=display,
        won=won_count,
        won_value=totals(won, scope.currency),
        win_rate=Rate(won_count, won_count + lost),
        activities=activities,
        sla=sla or Rate(0, 0),
    )


def _main_value(row: OwnerRow, currency: str) -> int:
    return next((t.total_minor for t in row.won_value if t.currency == currency), 0)


def _touches(session: Session, scope: ReportScope) -> dict[int, int]:
    """Touches done in the window per person, on the deals in scope (any owner's)."""
    deals = deal_conditions(replace(scope, owner_id=None))
    query = (
        select(Activity.user_id, func.count(Activity.id))
        .join(Deal, Deal.id == Activity.deal_id)
        .where(
            *deals,
            Activity.done_at.is_not(None),
            Activity.kind != ActivityKind.NOTE,
            *in_window(Activity.done_at, scope),
        )
        .group_by(Activity.user_id)
    )
    if scope.owner_id is not None:
        query = query.where(Activity.user_id == scope.owner_id)
    return dict(session.execute(query).all())


def _sla(session: Session, scope: ReportScope, past: dict[int, int]) -> dict[int | None, Rate]:
    """Per owner (the team under None): leads of the window answered in time, of those judged.

    `sla.responded_in_time` in grouped queries: a lead is judged once touched, or
    untouched past the pipeline's speed to lead; it is within the SLA when its
    first touch came no later than that many minutes after it was created
    (compared to the millisecond). No speed to lead: nothing is judged, and
    imported deals never are.
    Touched leads are counted from the first touches (activities grouped by deal,
    along their index); `past` counts the leads past their minutes, touched or
    not, so judged = touched + past − touched and past.
    """
    minutes = scope.pipeline.speed_to_lead_minutes
    if minutes is None:
        return {}
    leads = [
        *deal_conditions(scope),
        *in_window(Deal.created_at, scope),
        Deal.imported_at.is_(None),
    ]
    lead_past = Deal.created_at < scope.now - timedelta(minutes=minutes)
    first = (
        select(Activity.deal_id, func.min(Activity.done_at).label("at"))
        .where(Activity.done_at.is_not(None), Activity.kind != ActivityKind.NOTE)
        .group_by(Activity.deal_id)
        .subquery("first_touch")
    )
    in_time = _milliseconds(Deal.created_at, first.c.at) <= 60 * minutes
    touched = session.execute(
        select(
            Deal.owner_id,
            func.count(Deal.id),
            func.count(case((in_time, 1))),
            func.count(case((lead_past, 1))),
        )
        .join(first, first.c.deal_id == Deal.id)
        .where(*leads)
        .group_by(Deal.owner_id)
    ).all()
    rates: dict[int | None, Rate] = {owner: Rate(0, count) for owner, count in past.items()}
    for owner, count, within, touched_past in touched:
        judged = count + past.get(owner, 0) - touched_past
        rates[owner] = Rate(within, judged)
    rates[None] = Rate(sum(r.hits for r in rates.values()), sum(r.n for r in rates.values()))
    return rates


def _milliseconds(start: Any, end: Any) -> Any:
    """Seconds between two instants, rounded to the millisecond (SQLite keeps no finer)."""
    return func.round(cast(seconds_between(start, end), Numeric(18, 3)), 3)
