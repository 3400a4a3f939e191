"""The demo's goals: this month's and last month's for each demo owner and the team.

Each goal is set from what the owner won in that month, so the demo shows a
spread: one owner past the goal, one close to it, others behind, and anyone
with nothing won yet against a round first goal. Early in a month little is
won yet, so last month's goals (`dealboard goal list --month …`) show the
spread in full.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from dealboard.db.models import User
from dealboard.domain.goals import TEAM, main_currency, month_of, set_goal, won_in_month
from dealboard.domain.money import minor_digits

#: Goal ÷ won in the month, from the owner who won most down: the first has beaten the goal.
_STRETCH = (0.8, 1.25, 1.6, 2.5)
#: Goal of an owner with nothing won yet in the month, in major units.
_FIRST_GOAL = 40_000


def seed_goals(session: Session, actor: User, team: dict[str, User], now: datetime) -> None:
    """Set last month's and this month's goals for the demo owners and the team."""
    today = now.astimezone().date()
    last_month = today.replace(day=1) - timedelta(days=1)
    for month in (month_of(last_month), month_of(today)):
        _month(session, actor, team, month, now)


def _month(session: Session, actor: User, team: dict[str, User], month: str, now: datetime) -> None:
    today = now.astimezone().date()
    currency = main_currency(session)
    unit = 10 ** minor_digits(currency)
    won = won_in_month(session, month)
    so_far = {
        login: won.get((user.id, currency), (0, 0))[0] // unit for login, user in team.items()
    }
    ranked = sorted((login for login in so_far if so_far[login]), key=lambda k: -so_far[k])
    goals = dict.fromkeys(team, _FIRST_GOAL)
    for login, stretch in zip(ranked, _STRETCH, strict=False):
        goals[login] = _rounded(so_far[login] * stretch)
    for login, goal in goals.items():
        set_goal(session, actor, login, str(goal), month, today=today, now=now)
    set_goal(
        session, actor, TEAM, str(_rounded(sum(goals.values()) * 1.1)), month, today=today, now=now
    )


def _rounded(amount: float) -> int:
    """To two significant digits (`12,340` → `12,000`); never zero."""
    digits = max(len(str(int(amount))) - 2, 0)
    return max(round(amount / 10**digits) * 10**digits, 1)
