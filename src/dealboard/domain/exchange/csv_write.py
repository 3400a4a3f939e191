"""Writing a checked import plan: bulk inserts, all in the caller's one transaction.

Each deal gets what a deal made on the board has: a creation transition into
its open stage (at its created time), for won and lost deals a transition
into the closed stage (at its closed time, or its created time when the file
had none), and a history row "imported from FILE, line N". A lost deal whose
file does not say the stage it was lost from is recorded as created lost: no
made-up "lost from the first stage". Every transition written here is marked
`imported`: its stay is another system's, and reports do not measure it. An
open deal has been in its stage since the time the file gives, else since the
import. New owners become users (reps). Each deal links to its account and
contact records by folded name ("ACME  corp" is "Acme Corp"), existing ones
reused and missing ones created, and carries the record's spelling; a won
deal makes its contact a Customer, and with it every deal with that contact
(`accounts.link_many`: a few statements, never one per row). The whole import is one recorded
change by the importing manager; it is not undone with `u` (it adds deals,
which undo never removes).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePath

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.orm import Session

from dealboard.db.models import (
    AuditEntry,
    Change,
    Deal,
    DealTag,
    ResearchNotes,
    StageTransition,
    User,
)
from dealboard.db.watch import announce
from dealboard.domain import accounts
from dealboard.domain.errors import Conflict
from dealboard.domain.exchange.bulk import insert_rows
from dealboard.domain.exchange.csv_plan import ImportPlan, snapshot
from dealboard.domain.moves import stay_seconds
from dealboard.domain.users import require_manager
from dealboard.vocabulary import ChangeKind, ContactType, Role, StageKind


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote."""

    deals: int
    new_users: tuple[str, ...]
    change_id: int
    #: Account records the import created, and existing ones its deals were linked to.
    new_accounts: int = 0
    matched_accounts: int = 0


def write_plan(session: Session, actor: User, plan: ImportPlan, now: datetime) -> ImportResult:
    """Insert every planned deal with its tags, notes, transitions and history."""
    require_manager(actor, "import deals")
    _check_unchanged(session, plan)
    change_id = session.execute(
        insert(Change.__table__).returning(Change.id),
        {"at": now, "user_id": actor.id, "deal_id": None, "kind": ChangeKind.DO},
    ).scalar_one()
    audit: list[dict[str, object]] = []
    owners = _owners(session, plan, actor, now, change_id, audit)
    positions = _next_positions(session, {d.stage_id for d in plan.deals})
    rows = []
    for deal in plan.deals:
        position = positions[deal.stage_id]
        positions[deal.stage_id] = position + 1
        closed_or_created = deal.closed_at or deal.created_at
        rows.append(
            {
                "pipeline_id": deal.pipeline_id,
                "stage_id": deal.stage_id,
                "title": deal.title,
                "account": deal.account,
                "contact": deal.contact,
                "value_minor": deal.value_minor,
                "currency": deal.currency,
                "owner_id": owners[deal.owner.lower()],
                "contact_type": deal.contact_type,
                "source": deal.source,
                "expected_close": deal.expected_close,
                "next_step": deal.next_step,
                "next_step_due": deal.next_step_due,
                "position": position,
                "stage_entered_at": (
                    (deal.stage_entered_at or now)
                    if deal.kind is StageKind.OPEN
                    else closed_or_created
                ),
                "created_at": deal.created_at,
                "updated_at": now,
                "closed_at": deal.closed_at,
                "imported_at": now,
                "loss_reason": deal.loss_reason,
                "loss_note": deal.loss_note,
                "version": 1,
            }
        )
    linked = _link_accounts(session, plan, rows, actor, now, change_id, audit)
    ids = reserve_ids(session, len(rows))
    for deal_id, row in zip(ids, rows, strict=True):
        row["id"] = deal_id
    insert_rows(session, Deal.__table__, rows)
    _details(session, plan, ids, actor, now, change_id, audit)
    insert_rows(session, AuditEntry.__table__, audit)
    announce(session, None)
    return ImportResult(
        len(ids),
        tuple(plan.new_users),
        change_id,
        linked.new_accounts,
        linked.matched_accounts,
    )


def _link_accounts(
    session: Session,
    plan: ImportPlan,
    rows: list[dict[str, object]],
    actor: User,
    now: datetime,
    change_id: int,
    audit: list[dict[str, object]],
) -> accounts.Linked:
    """Point each row at its account and contact records; won deals make Customers.

    Deals already on the board with a contact a won row made a Customer become
    Customers too, each with a history row in the import's change.
    """
    parties = [
        accounts.Party(d.account, d.contact, d.contact_type, d.kind is StageKind.WON)
        for d in plan.deals
    ]
    linked = accounts.link_many(session, parties, now)
    for row, link in zip(rows, linked.links, strict=True):
        row["account_id"], row["account"], row["contact_id"] = (
            link.account_id,
            link.account or row["account"],
            link.contact_id,
        )
        if link.contact_id in linked.customers:
            row["contact_type"] = ContactType.CUSTOMER
    customers = sorted(linked.customers)
    for start in range(0, len(customers), 1000):
        chunk = customers[start : start + 1000]
        existing = session.execute(
            select(Deal.id, Deal.contact_type).where(
                Deal.contact_id.in_(chunk), Deal.contact_type != ContactType.CUSTOMER
            )
        ).all()
        if not existing:
            continue
        for deal_id, was in existing:
            row = _audit_row(
                now, actor, change_id, "update", "deal", deal_id, deal_id, "contact_type", ""
            )
            audit.append(row | {"old_value": was.value, "new_value": "Customer"})
        session.execute(
            update(Deal)
            .where(Deal.id.in_([deal_id for deal_id, _ in existing]))
            .values(contact_type=ContactType.CUSTOMER, updated_at=now)
            .execution_options(synchronize_session=False)
        )
    return linked


def reserve_ids(session: Session, count: int) -> list[int]:
    """Ids for `count` new deals, known before inserting them (so one bulk insert does).

    PostgreSQL hands them out from the deals sequence; SQLite gives the next
    ids after the highest, which no one else can take while this transaction
    holds the write lock.
    """
    if count == 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        return list(
            session.scalars(
                text(
                    "SELECT nextval(pg_get_serial_sequence('deals', 'id')) "
                    "FROM generate_series(1, :count)"
                ),
                {"count": count},
            )
        )
    highest = session.scalar(select(func.max(Deal.id))) or 0
    return list(range(highest + 1, highest + 1 + count))


def _check_unchanged(session: Session, plan: ImportPlan) -> None:
    """The stages the plan uses must still be there, of the same kind, in the same pipeline."""
    now = snapshot(session)
    current = {s.id: (p.id, s.kind) for p in now.pipelines for s in p.stages}
    wanted = {(d.stage_id, d.pipeline_id, d.kind) for d in plan.deals}
    wanted |= {
        (d.entry_stage_id, d.pipeline_id, StageKind.OPEN)
        for d in plan.deals
        if d.entry_stage_id is not None
    }
    for stage_id, pipeline_id, kind in wanted:
        if current.get(stage_id) != (pipeline_id, kind):
            raise Conflict(
                "the pipelines changed while the file was being read; "
                "nothing was imported, run the import again"
            )


def _owners(
    session: Session,
    plan: ImportPlan,
    actor: User,
    now: datetime,
    change_id: int,
    audit: list[dict[str, object]],
) -> dict[str, int]:
    """Login (lower case) → user id, creating the owners who are not users yet."""
    ids = {name.lower(): id_ for id_, name in session.execute(select(User.id, User.name))}
    for login, display in plan.new_users.items():
        if login.lower() in ids:  # someone added them meanwhile
            continue
        user_id = session.execute(
            insert(User.__table__).returning(User.id),
            {"name": login, "display_name": display, "role": Role.REP, "created_at": now},
        ).scalar_one()
        ids[login.lower()] = user_id
        for field, value in (("name", login), ("role", Role.REP.value)):
            audit.append(
                _audit_row(now, actor, change_id, "create", "user", user_id, None, field, value)
            )
    return ids


def _next_positions(session: Session, stage_ids: set[int]) -> dict[int, int]:
    last = dict(
        session.execute(
            select(Deal.stage_id, func.max(Deal.position))
            .where(Deal.stage_id.in_(stage_ids))
            .group_by(Deal.stage_id)
        ).all()
    )
    return {s: (last[s] + 1 if last.get(s) is not None else 0) for s in stage_ids}


def _details(
    session: Session,
    plan: ImportPlan,
    ids: list[int],
    actor: User,
    now: datetime,
    change_id: int,
    audit: list[dict[str, object]],
) -> None:
    """Tags, notes, transitions and one history row per deal, each table in one statement."""
    tags: list[dict[str, object]] = []
    notes: list[dict[str, object]] = []
    moves: list[dict[str, object]] = []
    name = PurePath(plan.file).name
    for deal_id, deal in zip(ids, plan.deals, strict=True):
        tags.extend({"deal_id": deal_id, "tag": tag} for tag in deal.tags)
        if deal.notes:
            notes.append(
                {
                    "deal_id": deal_id,
                    "interests": "",
                    "buying_process": "",
                    "key_objectives": "",
                    "decision_timing": "",
                    "pain_points": "",
                    "free_text": deal.notes,
                    "updated_at": now,
                    "version": 1,
                }
            )
        closed = deal.closed_at or deal.created_at
        if deal.entry_stage_id is None:  # lost, from a stage the file does not say
            moves.append(_move(deal_id, None, deal.stage_id, actor, closed, None))
        else:
            moves.append(_move(deal_id, None, deal.entry_stage_id, actor, deal.created_at, None))
        if deal.kind is not StageKind.OPEN and deal.entry_stage_id is not None:
            stay = stay_seconds(deal.created_at, closed)
            moves.append(_move(deal_id, deal.entry_stage_id, deal.stage_id, actor, closed, stay))
        audit.append(
            _audit_row(
                now,
                actor,
                change_id,
                "import",
                "deal",
                deal_id,
                deal_id,
                "imported",
                f"from {name}, line {deal.line}",
            )
        )
    kinds = Counter(d.kind.value for d in plan.deals)
    summary = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    audit.append(
        _audit_row(
            now,
            actor,
            change_id,
            "import",
            "import",
            change_id,
            None,
            "deals",
            f"{len(ids)} from {name}" + (f" ({summary})" if summary else ""),
        )
    )
    for model, rows in ((DealTag, tags), (ResearchNotes, notes), (StageTransition, moves)):
        insert_rows(session, model.__table__, rows)


def _move(
    deal_id: int, source: int | None, target: int, actor: User, at: datetime, stay: int | None
) -> dict[str, object]:
    return {
        "deal_id": deal_id,
        "from_stage_id": source,
        "to_stage_id": target,
        "user_id": actor.id,
        "at": at,
        "override_reason": None,
        "stay_seconds": stay,
        "imported": True,
    }


def _audit_row(
    at: datetime,
    actor: User,
    change_id: int,
    action: str,
    entity: str,
    entity_id: int,
    deal_id: int | None,
    field: str,
    new_value: str,
) -> dict[str, object]:
    return {
        "at": at,
        "user_id": actor.id,
        "action": action,
        "entity": entity,
        "entity_id": entity_id,
        "deal_id": deal_id,
        "field": field,
        "old_value": None,
        "new_value": new_value,
        "change_id": change_id,
    }
