"""Writes the audit trail: one row per changed field, in the caller's transaction.

Because the rows join the same transaction as the change, a change and its
record land together or not at all. The rows of one transaction hang off one
`Change` (what undo reverts), and on PostgreSQL the same transaction sends the
NOTIFY that wakes every open board.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from typing import Protocol

from sqlalchemy.orm import Session, aliased

from dealboard.db.models import AuditEntry, Change, User
from dealboard.db.watch import announce
from dealboard.vocabulary import ChangeKind

#: (old, new) per field name.
Changes = Mapping[str, tuple[object, object]]

_CHANGE_KEY = "dealboard.change"
#: `session.info` key: the id of the manager acting for the session's user (`--as`), if any.
REAL_USER_KEY = "dealboard.real_user"
#: The manager a change was made by for someone else (`changes.via_user_id`), for joins.
VIA = aliased(User, name="via_user")


def who(name: str, via: str | None) -> str:
    """How the log names whoever made a change: "maria as sam" when a manager acted for sam."""
    return name if via is None or via == name else f"{via} as {name}"


def begin_change(
    session: Session,
    actor: User,
    *,
    at: datetime,
    deal_id: int | None,
    kind: ChangeKind = ChangeKind.DO,
    reverts_id: int | None = None,
) -> Change:
    """The change this transaction's audit rows belong to (made on first use)."""
    change = session.info.get(_CHANGE_KEY)
    if change is None:
        change = Change(
            at=at,
            user_id=actor.id,
            via_user_id=session.info.get(REAL_USER_KEY),
            deal_id=deal_id,
            kind=kind,
            reverts_id=reverts_id,
        )
        session.add(change)
        session.flush()
        session.info[_CHANGE_KEY] = change
        announce(session, deal_id)
    elif change.deal_id is None and deal_id is not None:
        change.deal_id = deal_id
    return change


def as_text(value: object) -> str | None:
    """How a value is kept in the log: readable, stable, and None for "nothing"."""
    if value is None:
        return None
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple | list | set | frozenset):
        return ", ".join(sorted(str(v) for v in value))
    return str(value)


def record(
    session: Session,
    actor: User,
    *,
    action: str,
    entity: str,
    entity_id: int,
    deal_id: int | None,
    at: datetime,
    changes: Changes,
) -> None:
    """Add audit rows for each field that really changed (old != new)."""
    change: Change | None = None
    for field_name, (old, new) in changes.items():
        old_text, new_text = as_text(old), as_text(new)
        if old_text == new_text and action == "update":
            continue
        if change is None:
            change = begin_change(session, actor, at=at, deal_id=deal_id)
        session.add(
            AuditEntry(
                change_id=change.id,
                at=at,
                user_id=actor.id,
                action=action,
                entity=entity,
                entity_id=entity_id,
                deal_id=deal_id,
                field=field_name,
                old_value=old_text,
                new_value=new_text,
            )
        )


class DealPart(Protocol):
    """A row that belongs to a deal: an objection, a stakeholder, an activity."""

    id: int
    deal_id: int


def record_part(
    session: Session,
    actor: User,
    entity: str,
    part: DealPart,
    action: str,
    changes: Changes,
    at: datetime,
) -> None:
    """Audit rows for a change to something that hangs off a deal."""
    record(
        session,
        actor,
        action=action,
        entity=entity,
        entity_id=part.id,
        deal_id=part.deal_id,
        at=at,
        changes=changes,
    )
