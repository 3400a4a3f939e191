"""Research notes and stakeholders: what the Research stage learns about the buyer.

One notes record per deal, created on first save, and any number of
stakeholders. Both stay editable after the deal closes.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy.orm import Session

from dealboard.db.models import ResearchNotes, Stakeholder, User
from dealboard.domain import audit, ties
from dealboard.domain.choices import parse_choice
from dealboard.domain.conflicts import check_version
from dealboard.domain.lookup import load_row
from dealboard.domain.permissions import require_deal_access
from dealboard.domain.text import clean_line, clean_text
from dealboard.vocabulary import Influence, Stance


@dataclass(frozen=True)
class ResearchFields:
    """The notes as typed; None leaves a field unchanged."""

    interests: str | None = None
    buying_process: str | None = None
    key_objectives: str | None = None
    decision_timing: str | None = None
    pain_points: str | None = None
    free_text: str | None = None


def save_research(
    session: Session,
    actor: User,
    deal_id: int,
    given: ResearchFields,
    now: datetime,
    expected_version: int | None = None,
) -> None:
    """Write the given notes fields; unchanged fields leave no audit rows.

    `expected_version` is the notes' version the user started from (0: there
    were no notes yet); saving over a newer version is refused.
    """
    require_deal_access(session, actor, deal_id, "write research notes on")
    cleaned = {
        f.name: clean_text(f.name.replace("_", " "), value)
        for f in fields(ResearchFields)
        if (value := getattr(given, f.name)) is not None
    }
    notes = session.get(ResearchNotes, deal_id)
    check_version(
        session,
        what="the research notes",
        entity="research",
        entity_id=deal_id,
        current=notes.version if notes is not None else 0,
        expected=expected_version,
        now=now,
    )
    if notes is None:
        notes = ResearchNotes(deal_id=deal_id, updated_at=now)
        for f in fields(ResearchFields):
            setattr(notes, f.name, "")
        session.add(notes)
    changes = {k: (getattr(notes, k), v) for k, v in cleaned.items() if getattr(notes, k) != v}
    if not changes:
        return
    for key, value in cleaned.items():
        setattr(notes, key, value)
    notes.updated_at = now
    audit.record(
        session,
        actor,
        action="update",
        entity="research",
        entity_id=deal_id,
        deal_id=deal_id,
        at=now,
        changes=changes,
    )
    ties.sync(session, actor, deal_id, now)


def add_stakeholder(
    session: Session,
    actor: User,
    deal_id: int,
    *,
    name: str,
    role: str,
    influence: str,
    stance: str,
    now: datetime,
) -> int:
    """A person on the buyer's side; returns the new id."""
    require_deal_access(session, actor, deal_id, "add a stakeholder to")
    person = Stakeholder(
        deal_id=deal_id,
        name=clean_line("stakeholder name", name, required=True),
        role=clean_line("stakeholder role", role),
        influence=parse_choice(Influence, influence, "influence"),
        stance=parse_choice(Stance, stance, "stance"),
    )
    session.add(person)
    session.flush()
    changes = {
        "name": (None, person.name),
        "role": (None, person.role),
        "influence": (None, person.influence),
        "stance": (None, person.stance),
    }
    audit.record_part(session, actor, "stakeholder", person, "create", changes, now)
    ties.sync(session, actor, deal_id, now)
    return person.id


def edit_stakeholder(
    session: Session,
    actor: User,
    stakeholder_id: int,
    *,
    name: str | None,
    role: str | None,
    influence: str | None,
    stance: str | None,
    now: datetime,
    expected_version: int | None = None,
) -> None:
    """Change any of a stakeholder's fields; None leaves a field as it is."""
    person = load_row(session, Stakeholder, stakeholder_id, "stakeholder")
    require_deal_access(session, actor, person.deal_id, "change a stakeholder of")
    _check(session, person, expected_version, now)
    new: dict[str, object] = {}
    if name is not None:
        new["name"] = clean_line("stakeholder name", name, required=True)
    if role is not None:
        new["role"] = clean_line("stakeholder role", role)
    if influence is not None:
        new["influence"] = parse_choice(Influence, influence, "influence")
    if stance is not None:
        new["stance"] = parse_choice(Stance, stance, "stance")
    changes = {k: (getattr(person, k), v) for k, v in new.items() if getattr(person, k) != v}
    for key, value in new.items():
        setattr(person, key, value)
    audit.record_part(session, actor, "stakeholder", person, "update", changes, now)


def remove_stakeholder(
    session: Session,
    actor: User,
    stakeholder_id: int,
    now: datetime,
    expected_version: int | None = None,
) -> None:
    """Take a person off the deal (the audit log keeps who they were)."""
    person = load_row(session, Stakeholder, stakeholder_id, "stakeholder")
    require_deal_access(session, actor, person.deal_id, "change a stakeholder of")
    _check(session, person, expected_version, now)
    audit.record_part(
        session, actor, "stakeholder", person, "delete", {"name": (person.name, None)}, now
    )
    session.delete(person)
    ties.sync(session, actor, person.deal_id, now)


def _check(
    session: Session, person: Stakeholder, expected_version: int | None, now: datetime
) -> None:
    check_version(
        session,
        what=f"stakeholder {person.name}",
        entity="stakeholder",
        entity_id=person.id,
        current=person.version,
        expected=expected_version,
        now=now,
    )
