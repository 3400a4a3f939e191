"""Activities: the touches with a buyer (calls, emails, meetings, social) and notes.

A scheduled activity has a due date; logging one as done stamps the time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy.orm import Session

from dealboard.db.models import Activity, User
from dealboard.domain import audit
from dealboard.domain.choices import parse_choice
from dealboard.domain.dates import parse_date
from dealboard.domain.deals import DealFields, edit_deal
from dealboard.domain.errors import InvalidInput, RuleViolation
from dealboard.domain.lookup import load_row
from dealboard.domain.permissions import require_deal_access
from dealboard.domain.text import clean_line, clean_text
from dealboard.vocabulary import ActivityKind

#: A due date is stored as midday UTC, which is the same calendar day almost everywhere.
_DUE_TIME = time(12, 0, tzinfo=UTC)


def due_day(due_at: datetime) -> date:
    """The calendar day a due date was given as: read in UTC, as it was written (midday UTC).

    Reading it in local time would move it a day in zones twelve or more hours from UTC.
    """
    return due_at.astimezone(UTC).date()


def add_activity(
    session: Session,
    actor: User,
    deal_id: int,
    *,
    kind: str,
    subject: str,
    due: str | None,
    done: bool,
    outcome: str,
    today: date,
    now: datetime,
    next_step: str = "",
    next_step_due: str | None = None,
    reached: bool = False,
) -> int:
    """Schedule a touch (with `due`) or log one already done; returns its id.

    A `next_step` given with the touch becomes the deal's next step (and its
    due date), in the same transaction: logging a call and saying what comes
    next is one action for the rep.
    """
    require_deal_access(session, actor, deal_id, "log a touch on")
    due_at = None
    if due is not None and due.strip():
        due_at = datetime.combine(parse_date(due, today, "due"), _DUE_TIME)
    activity = Activity(
        deal_id=deal_id,
        user_id=actor.id,
        kind=parse_choice(ActivityKind, kind, "activity kind"),
        subject=clean_line("subject", subject, required=True),
        due_at=due_at,
        done_at=now if done else None,
        outcome=clean_text("outcome", outcome),
        reached=reached and done,
        created_at=now,
    )
    session.add(activity)
    session.flush()
    changes = {"kind": (None, activity.kind), "subject": (None, activity.subject)}
    if activity.reached:
        changes["reached"] = (None, True)
    audit.record_part(session, actor, "activity", activity, "create", changes, now)
    if next_step.strip() or next_step_due:
        if not next_step.strip():
            raise InvalidInput("next step", next_step, "say what the next step is for its date")
        edit_deal(
            session,
            actor,
            deal_id,
            DealFields(next_step=next_step, next_step_due=next_step_due or "none"),
            expected_version=None,
            now=now,
            today=today,
        )
    return activity.id


def complete_activity(
    session: Session, actor: User, activity_id: int, outcome: str, now: datetime
) -> None:
    """Mark a scheduled activity done, with what came of it."""
    activity = load_row(session, Activity, activity_id, "activity")
    require_deal_access(session, actor, activity.deal_id, "complete a touch on")
    if activity.done_at is not None:
        raise RuleViolation(f"activity {activity_id} is already done")
    activity.done_at = now
    cleaned = clean_text("outcome", outcome)
    changes: dict[str, tuple[object, object]] = {"done_at": (None, now)}
    if cleaned != activity.outcome:
        changes["outcome"] = (activity.outcome, cleaned)
        activity.outcome = cleaned
    audit.record_part(session, actor, "activity", activity, "update", changes, now)
