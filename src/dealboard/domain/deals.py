"""Creating and editing deals: every typed value is checked, every change is audited."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealboard.db.models import Deal, DealTag, StageTransition, User
from dealboard.domain import accounts, audit, text, ties, wip
from dealboard.domain.conflicts import check_version
from dealboard.domain.dates import parse_date
from dealboard.domain.errors import InvalidInput, RuleViolation
from dealboard.domain.lookup import find_pipeline, find_stage
from dealboard.domain.money import format_money, parse_money
from dealboard.domain.permissions import deal_to_change
from dealboard.domain.users import find_user, require_manager
from dealboard.vocabulary import ContactType, StageKind

_TAG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


@dataclass(frozen=True)
class DealFields:
    """Values as the user typed them; None means "not given" (leave unchanged)."""

    title: str | None = None
    value: str | None = None
    account: str | None = None
    contact: str | None = None
    owner: str | None = None
    contact_type: str | None = None
    source: str | None = None
    close_date: str | None = None
    next_step: str | None = None
    next_step_due: str | None = None
    add_tags: tuple[str, ...] = ()
    remove_tags: tuple[str, ...] = ()


def parse_tag(value: str) -> str:
    """A tag as typed (`#Q4` or `q4`), normalised to lower case."""
    tag = value.strip().lstrip("#").lower()
    if not _TAG.match(tag):
        raise InvalidInput("tag", value, "use 1-40 lower-case letters, digits, '-' or '_'")
    return tag


def parse_contact_type(value: str) -> ContactType:
    """Suspect, Prospect, Lead or Customer (any case)."""
    for member in ContactType:
        if member.value.casefold() == value.strip().casefold():
            return member
    raise InvalidInput("contact type", value, "use Suspect, Prospect, Lead or Customer")


def create_deal(
    session: Session,
    actor: User,
    fields: DealFields,
    *,
    pipeline_name: str | None,
    stage_name: str | None,
    now: datetime,
    today: date,
) -> Deal:
    """A new deal at the end of its column (the pipeline's first stage unless told otherwise)."""
    if fields.title is None:
        raise InvalidInput("title", "", "a deal needs a title of 1 to 200 characters")
    pipeline = find_pipeline(session, pipeline_name)
    stage = find_stage(pipeline, stage_name) if stage_name else pipeline.stages[0]
    if stage.kind is not StageKind.OPEN:
        raise InvalidInput("stage", stage.name, "a new deal starts in an open stage")
    wip.admit_new_deal(session, actor, stage)
    deal = Deal(
        pipeline_id=pipeline.id,
        stage_id=stage.id,
        title="",
        currency=pipeline.currency,
        owner_id=actor.id,
        position=next_position(session, stage.id),
        stage_entered_at=now,
        created_at=now,
        updated_at=now,
    )
    contact_change = _apply(session, deal, fields, pipeline.currency, today)
    if deal.owner_id != actor.id:
        require_manager(actor, "give a new deal to someone else")
    session.add(deal)
    session.flush()
    session.add(
        StageTransition(
            deal_id=deal.id, from_stage_id=None, to_stage_id=stage.id, user_id=actor.id, at=now
        )
    )
    created = {
        name: (None, value)
        for name, value in _snapshot(session, deal).items()
        if value not in ("", None, ())
    }
    created["stage"] = (None, stage.name)
    audit.record(
        session,
        actor,
        action="create",
        entity="deal",
        entity_id=deal.id,
        deal_id=deal.id,
        at=now,
        changes=created,
    )
    _record_contact(session, actor, deal, contact_change, now)
    ties.sync(session, actor, deal.id, now)  # "no objection unresolved" holds from the start
    return deal


def edit_deal(
    session: Session,
    actor: User,
    deal_id: int,
    fields: DealFields,
    *,
    expected_version: int | None,
    now: datetime,
    today: date,
) -> Deal:
    """Apply the given fields; refuses if someone else changed the deal since `expected_version`."""
    deal = deal_to_change(session, actor, deal_id, "edit")
    check_version(
        session,
        what=f"deal {deal.id}",
        entity="deal",
        entity_id=deal.id,
        current=deal.version,
        expected=expected_version,
        now=now,
    )
    if fields.next_step_due is not None and fields.next_step is None and not deal.next_step:
        raise InvalidInput("due", fields.next_step_due, "give --next-step with its due date")
    before = _snapshot(session, deal)
    contact_change = _apply(session, deal, fields, deal.currency, today)
    after = _snapshot(session, deal)
    changes = {name: (before[name], after[name]) for name in before if before[name] != after[name]}
    if "owner" in changes:
        require_manager(actor, "reassign a deal")
    if changes:
        deal.updated_at = now
        audit.record(
            session,
            actor,
            action="update",
            entity="deal",
            entity_id=deal.id,
            deal_id=deal.id,
            at=now,
            changes=changes,
        )
    _record_contact(session, actor, deal, contact_change, now)
    return deal


def _apply(
    session: Session, deal: Deal, fields: DealFields, currency: str, today: date
) -> audit.Changes:
    """Validate every given field first, then assign: a bad value changes nothing.

    Returns how the deal's contact record changed (a type raised by this deal), for the
    caller to record beside the deal's own change."""
    values: dict[str, object] = {}
    if fields.title is not None:
        values["title"] = text.title(fields.title)
    for name in ("account", "contact", "source", "next_step"):
        raw = getattr(fields, name)
        if raw is not None:
            values[name] = text.clean_line(name.replace("_", " "), raw, max_length=200)
    if fields.value is not None:
        money = parse_money(fields.value, currency)
        values["value_minor"], values["currency"] = money.minor, money.currency
    if fields.owner is not None:
        values["owner_id"] = find_user(session, fields.owner, "owner").id
    if fields.contact_type is not None:
        values["contact_type"] = parse_contact_type(fields.contact_type)
    if fields.close_date is not None:
        values["expected_close"] = _optional_date(fields.close_date, today, "close date")
    if fields.next_step_due is not None:
        values["next_step_due"] = _optional_date(fields.next_step_due, today, "due")
    if fields.next_step is not None and not values["next_step"]:
        values["next_step_due"] = None
    added = [parse_tag(t) for t in fields.add_tags]
    removed = {parse_tag(t) for t in fields.remove_tags}
    # Only an edit that changes the type says something about the person; a new deal (or a
    # form sending the type it showed) takes the contact's type, whatever it says.
    typed = values.get("contact_type")
    if deal.id is None or typed == deal.contact_type:
        typed = None
    for name, value in values.items():
        setattr(deal, name, value)
    contact_change: audit.Changes = {}
    if {"account", "contact", "contact_type"} & values.keys() or deal.id is None:
        contact_change = accounts.link(
            session, deal, typed=typed if isinstance(typed, ContactType) else None
        )
    current = {t.tag for t in deal.tags}
    wanted = (current | set(added)) - removed
    deal.tags = [t for t in deal.tags if t.tag in wanted] + [
        DealTag(tag=t) for t in sorted(wanted - current)
    ]
    return contact_change


def _record_contact(
    session: Session, actor: User, deal: Deal, changes: audit.Changes, now: datetime
) -> None:
    """The contact record's raised type, in the deal's change: undoing it puts it back."""
    if changes and deal.contact_id is not None:
        audit.record(
            session,
            actor,
            action="update",
            entity="contact",
            entity_id=deal.contact_id,
            deal_id=deal.id,
            at=now,
            changes=changes,
        )


def _optional_date(raw: str, today: date, field: str) -> date | None:
    """A date, or None when the user clears it with an empty value or `none`."""
    if raw.strip().lower() in ("", "none", "-"):
        return None
    return parse_date(raw, today, field)


def _snapshot(session: Session, deal: Deal) -> dict[str, object]:
    """The audited fields, named and shown as users know them."""
    owner = session.get(User, deal.owner_id)
    return {
        "title": deal.title,
        "account": deal.account,
        "contact": deal.contact,
        "value": format_money(deal.value_minor or 0, deal.currency),
        "owner": owner.name if owner else None,
        "contact_type": deal.contact_type,
        "source": deal.source,
        "expected_close": deal.expected_close,
        "next_step": deal.next_step,
        "next_step_due": deal.next_step_due,
        "tags": tuple(sorted(t.tag for t in deal.tags)),
    }


def next_position(session: Session, stage_id: int) -> int:
    """One past the last card of the column: where a new or moved card goes."""
    last = session.scalar(select(func.max(Deal.position)).where(Deal.stage_id == stage_id))
    return 0 if last is None else last + 1


def require_open(deal: Deal, what: str) -> None:
    """Closed deals are history: reopen before changing their checklist."""
    if deal.stage.kind is not StageKind.OPEN:
        raise RuleViolation(f"deal {deal.id} is {deal.stage.kind}; reopen it before you {what}")
