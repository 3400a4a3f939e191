"""Refusing a save made against an old version, and telling the user whose change won.

A refused save names who changed the record, when, and which fields, so the
user can look before saving again; the UI keeps their text and takes the new
version as its base, so a second save is a deliberate choice, never silent.
"""

from __future__ import annotations

from datetime import datetime
from typing import NoReturn

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealboard.db.models import AuditEntry, User
from dealboard.domain.errors import Conflict
from dealboard.domain.times import when

__all__ = ["check_version", "command_line_message", "refuse_stale", "when"]

#: How a refusal ends in a form or dialog, where the typed text is still on screen.
FORM_TAIL = (
    " while you were editing; nothing was overwritten. "
    "Your text is kept: check theirs, then save again to replace it"
)


def check_version(
    session: Session,
    *,
    what: str,
    entity: str,
    entity_id: int,
    current: int,
    expected: int | None,
    now: datetime,
) -> None:
    """Refuse unless the record is still at `expected` (None: the caller does not check)."""
    if expected is not None and expected != current:
        refuse_stale(
            session, what=what, entity=entity, entity_id=entity_id, current=current, now=now
        )


def refuse_stale(
    session: Session, *, what: str, entity: str, entity_id: int, current: int, now: datetime
) -> NoReturn:
    """Raise a Conflict describing the latest change to the record."""
    latest = session.execute(
        select(AuditEntry.change_id, AuditEntry.at, User.display_name, User.name)
        .join(User, User.id == AuditEntry.user_id)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).first()
    if latest is None:
        raise Conflict(f"{what} was changed by someone else{FORM_TAIL}", current_version=current)
    change_id, at, display_name, name = latest
    fields = (
        session.scalars(
            select(AuditEntry.field)
            .where(
                AuditEntry.change_id == change_id,
                AuditEntry.entity == entity,
                AuditEntry.entity_id == entity_id,
            )
            .order_by(AuditEntry.id)
        ).all()
        if change_id is not None
        else []
    )
    who = display_name or name
    changed = f" ({', '.join(f.replace('_', ' ') for f in fields)})" if fields else ""
    raise Conflict(
        f"{who} changed {what}{changed} at {when(at, now)}{FORM_TAIL}",
        by=name,
        at=at,
        current_version=current,
    )


def command_line_message(conflict: Conflict) -> str:
    """The refusal as the command line says it: no text was kept, a command is run again."""
    tail = (
        " since the version you gave; nothing was overwritten. "
        "Check theirs with dealboard deal show"
    )
    if conflict.current_version is not None:
        tail += f", then run the command again with --if-version {conflict.current_version}"
    return str(conflict).replace(FORM_TAIL, tail)
