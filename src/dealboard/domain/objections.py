"""The objection log: what the buyer worries about, and how far each worry is answered.

Open objections count against a deal on its card; Overcome Objections asks
for every one to be resolved. A response given is an answer, however it was
typed (logged with the objection, edited in, or answered): the status follows,
so the card's count of open objections says what the log says. Objections
stay editable on closed deals too: the log is part of the history a team
learns from.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from dealboard.db.models import Objection, User
from dealboard.domain import audit, ties
from dealboard.domain.choices import parse_choice
from dealboard.domain.conflicts import check_version
from dealboard.domain.errors import InvalidInput
from dealboard.domain.lookup import load_row
from dealboard.domain.permissions import require_deal_access
from dealboard.domain.text import clean_text
from dealboard.vocabulary import ObjectionCategory, ObjectionStatus


def add_objection(
    session: Session,
    actor: User,
    deal_id: int,
    *,
    category: str,
    text: str,
    hidden: bool,
    response: str,
    now: datetime,
) -> int:
    """Log a new objection, `answered` if it comes with a response, else open; returns its id."""
    require_deal_access(session, actor, deal_id, "log an objection on")
    cleaned = clean_text("objection response", response)
    objection = Objection(
        deal_id=deal_id,
        category=parse_choice(ObjectionCategory, category, "objection category"),
        text=_required_text(text),
        hidden=hidden,
        response=cleaned,
        status=ObjectionStatus.ANSWERED if cleaned.strip() else ObjectionStatus.OPEN,
        created_by_id=actor.id,
        created_at=now,
    )
    session.add(objection)
    session.flush()
    changes = {
        "category": (None, objection.category),
        "text": (None, objection.text),
        "hidden": (None, hidden),
        "response": (None, objection.response or None),
        "status": (None, objection.status),
    }
    audit.record_part(session, actor, "objection", objection, "create", changes, now)
    ties.sync(session, actor, deal_id, now)
    return objection.id


def _required_text(text: str) -> str:
    cleaned = clean_text("objection text", text)
    if not cleaned.strip():
        raise InvalidInput("objection text", text, "say what the buyer objects to")
    return cleaned


def edit_objection(
    session: Session,
    actor: User,
    objection_id: int,
    *,
    category: str | None,
    text: str | None,
    hidden: bool | None,
    response: str | None,
    now: datetime,
    expected_version: int | None = None,
) -> None:
    """Change any of the objection's fields; None leaves a field as it is.

    A response typed into an open objection answers it; emptying the response
    of an answered one opens it again (a resolved one stays resolved).
    """
    objection = load_row(session, Objection, objection_id, "objection")
    require_deal_access(session, actor, objection.deal_id, "change an objection on")
    _check(session, objection, expected_version, now)
    new = {
        "category": parse_choice(ObjectionCategory, category, "objection category")
        if category is not None
        else objection.category,
        "text": _required_text(text) if text is not None else objection.text,
        "hidden": hidden if hidden is not None else objection.hidden,
        "response": clean_text("objection response", response)
        if response is not None
        else objection.response,
    }
    changes = {k: (getattr(objection, k), v) for k, v in new.items() if getattr(objection, k) != v}
    if "response" in changes:
        new["status"] = _status_for_response(objection.status, str(new["response"]))
        if new["status"] is not objection.status:
            changes["status"] = (objection.status, new["status"])
    for key, value in new.items():
        setattr(objection, key, value)
    audit.record_part(session, actor, "objection", objection, "update", changes, now)
    ties.sync(session, actor, objection.deal_id, now)


def _status_for_response(status: ObjectionStatus, response: str) -> ObjectionStatus:
    if status is ObjectionStatus.OPEN and response.strip():
        return ObjectionStatus.ANSWERED
    if status is ObjectionStatus.ANSWERED and not response.strip():
        return ObjectionStatus.OPEN
    return status


def answer_objection(
    session: Session,
    actor: User,
    objection_id: int,
    response: str,
    now: datetime,
    expected_version: int | None = None,
) -> None:
    """Record how we answered; the objection is then `answered` (not yet resolved)."""
    objection = load_row(session, Objection, objection_id, "objection")
    require_deal_access(session, actor, objection.deal_id, "change an objection on")
    _check(session, objection, expected_version, now)
    cleaned = clean_text("objection response", response)
    if not cleaned.strip():
        raise InvalidInput("objection response", response, "say how the objection was answered")
    changes = {"response": (objection.response, cleaned)}
    objection.response = cleaned
    if objection.status is ObjectionStatus.OPEN:
        changes["status"] = (objection.status, ObjectionStatus.ANSWERED)
        objection.status = ObjectionStatus.ANSWERED
    audit.record_part(session, actor, "objection", objection, "update", changes, now)
    ties.sync(session, actor, objection.deal_id, now)


def set_objection_status(
    session: Session,
    actor: User,
    objection_id: int,
    status: str,
    now: datetime,
    expected_version: int | None = None,
) -> None:
    """Open, answered or resolved; resolving stamps the time, reopening clears it."""
    objection = load_row(session, Objection, objection_id, "objection")
    require_deal_access(session, actor, objection.deal_id, "change an objection on")
    _check(session, objection, expected_version, now)
    new = parse_choice(ObjectionStatus, status, "objection status")
    if new is objection.status:
        return
    changes: dict[str, tuple[object, object]] = {"status": (objection.status, new)}
    resolved_at = now if new is ObjectionStatus.RESOLVED else None
    changes["resolved_at"] = (objection.resolved_at, resolved_at)
    objection.status, objection.resolved_at = new, resolved_at
    audit.record_part(session, actor, "objection", objection, "update", changes, now)
    ties.sync(session, actor, objection.deal_id, now)


def _check(
    session: Session, objection: Objection, expected_version: int | None, now: datetime
) -> None:
    check_version(
        session,
        what=f"objection #{objection.id}",
        entity="objection",
        entity_id=objection.id,
        current=objection.version,
        expected=expected_version,
        now=now,
    )
