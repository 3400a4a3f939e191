"""Undo and redo: putting one of your own changes back, as a new recorded change.

Undo works on `Change`s (one user action each). It reverts every field the
change wrote, newest first, and records that as an `undo` change naming the
one it reverts, so the history stays complete and a redo is simply the
reverting of an undo. It refuses, and writes nothing, when someone else has
changed that deal since, or when the deal no longer holds what the change
left there: undoing must never overwrite a colleague's work.

A move is put back exactly: the card returns to the stage it left, to the
same spot in that column, with the same stage-entry time, so "days in stage",
quiet badges and SLA windows read as if the move never happened. Its stage
transition is removed rather than answered by a transition back: the
time-in-stage report counts each stay once, and an undone stay is not one.
The audit log keeps the move and its undo; a redo writes the transition
again with the moment and stay of the original move.

An account or contact put back relinks the deal to the records that text
names (`accounts.link`), so the record and the text never disagree. A win
makes the deal's contact a Customer: the deal's own type, the contact record
and the contact's other deals are all recorded in the win's change, so undoing
the win puts each back as it was, except that a contact with another won deal
stays a Customer (and so do their deals): that row is left out of the undo's
record, so the log says what really changed. Nothing else lowers a contact
record's type: it moves forward with facts.

Creating and deleting (a new deal, a removed stakeholder) are not undone:
the issue asks for moves, edits, ticks and closes, and deleting a deal
others may already have worked on is not a keystroke to hide behind `u`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, delete, exists, select, update
from sqlalchemy.orm import Session, aliased

from dealboard.db.models import (
    AuditEntry,
    BantAnswer,
    Change,
    ChecklistTick,
    Contact,
    Deal,
    DealTag,
    Objection,
    ResearchNotes,
    Stage,
    StageTransition,
    Stakeholder,
    User,
)
from dealboard.domain import accounts, audit, wip
from dealboard.domain.conflicts import when
from dealboard.domain.deals import next_position
from dealboard.domain.errors import RuleViolation
from dealboard.domain.gate import wip_refuses
from dealboard.domain.import_stays import began_at_import
from dealboard.domain.lookup import load_deal, load_row
from dealboard.domain.money import format_money, parse_money
from dealboard.domain.moves import stay_seconds
from dealboard.domain.ordering import lock_pipeline_of
from dealboard.domain.permissions import require_deal_access
from dealboard.domain.times import readable_value
from dealboard.domain.users import find_user
from dealboard.vocabulary import (
    BantItem,
    BantState,
    ChangeKind,
    ContactType,
    Influence,
    LossReason,
    ObjectionCategory,
    ObjectionStatus,
    Role,
    StageKind,
    Stance,
)

#: Fields whose audit rows are bookkeeping, reverted together with the row that caused them.
_SKIPPED_FIELDS = frozenset({"gate override"})
#: The audit row of a deal switching to another person: their type goes back with them.
_CONTACT_FIELD = ("deal", "contact")
#: Put back like any field, but not worth a word in the message: where the card sat
#: and when it entered its stage follow from the stage itself.
_UNSAID_FIELDS = frozenset({"position", "stage_entered_at"})


@dataclass(frozen=True)
class UndoResult:
    """What was put back, in words the user reads in a notification."""

    deal_id: int | None
    kind: ChangeKind
    description: str


def undo(session: Session, actor: User, now: datetime) -> UndoResult:
    """Revert the actor's latest change to a deal that is still in effect."""
    undone = aliased(Change)
    target = session.scalar(
        select(Change)
        .where(
            Change.user_id == actor.id,
            Change.deal_id.is_not(None),  # board set-up (users, pipelines) is not undone
            Change.kind.in_((ChangeKind.DO, ChangeKind.REDO)),
            ~exists().where(undone.reverts_id == Change.id, undone.kind == ChangeKind.UNDO),
        )
        .order_by(Change.id.desc())
        .limit(1)
    )
    if target is None:
        raise RuleViolation("nothing to undo: you have made no changes that can be undone")
    return _revert(session, actor, target, ChangeKind.UNDO, now)


def redo(session: Session, actor: User, now: datetime) -> UndoResult:
    """Revert the actor's latest undo, unless they have made a new change since."""
    redone = aliased(Change)
    target = session.scalar(
        select(Change)
        .where(
            Change.user_id == actor.id,
            Change.kind == ChangeKind.UNDO,
            ~exists().where(redone.reverts_id == Change.id, redone.kind == ChangeKind.REDO),
        )
        .order_by(Change.id.desc())
        .limit(1)
    )
    newer_change = target is not None and session.scalar(
        select(
            exists().where(
                Change.user_id == actor.id,
                Change.deal_id.is_not(None),
                Change.kind == ChangeKind.DO,
                Change.id > target.id,
            )
        )
    )
    if target is None or newer_change:
        raise RuleViolation("nothing to redo: there is no undone change since your last change")
    return _revert(session, actor, target, ChangeKind.REDO, now)


def _revert(
    session: Session, actor: User, target: Change, kind: ChangeKind, now: datetime
) -> UndoResult:
    rows = session.scalars(
        select(AuditEntry).where(AuditEntry.change_id == target.id).order_by(AuditEntry.id.desc())
    ).all()
    verb = "undo" if kind is ChangeKind.UNDO else "redo"
    if not rows:
        raise RuleViolation(f"cannot {verb} change #{target.id}: it recorded nothing")
    if target.deal_id is not None:
        require_deal_access(session, actor, target.deal_id, f"{verb} your change to")
        _refuse_if_changed_since(session, actor, target, verb, now)
    if target.deal_id is not None and any(r.field == "stage" for r in rows):
        lock_pipeline_of(session, target.deal_id)  # a restored spot may shift its column
    revert = _Reverter(session, actor, now, verb)
    revert.switched_contact = {
        r.entity_id for r in rows if (r.entity, r.field) == ("deal", "contact")
    }
    for row in _stage_first(rows):
        revert.row(row)
    revert.finish()
    change = audit.begin_change(
        session, actor, at=now, deal_id=target.deal_id, kind=kind, reverts_id=target.id
    )
    for row in reversed(rows):
        if row.field in _SKIPPED_FIELDS or row.id in revert.kept:
            continue
        session.add(
            AuditEntry(
                change_id=change.id,
                at=now,
                user_id=actor.id,
                action=verb,
                entity=row.entity,
                entity_id=row.entity_id,
                deal_id=row.deal_id,
                field=row.field,
                old_value=row.new_value,
                new_value=row.old_value,
            )
        )
    session.flush()
    done = [row for row in rows if row.id not in revert.kept]
    return UndoResult(target.deal_id, kind, _describe(session, target, done, verb))


def _stage_first(rows: list[AuditEntry]) -> list[AuditEntry]:
    """The stage goes back before the spot and entry time it carried are put back over it."""
    return sorted(rows, key=lambda r: not (r.entity == "deal" and r.field == "stage"))


def _refuse_if_changed_since(
    session: Session, actor: User, target: Change, verb: str, now: datetime
) -> None:
    later = session.execute(
        select(Change.at, User.display_name, Change.deal_id)
        .join(User, User.id == Change.user_id)
        .where(Change.deal_id == target.deal_id, Change.id > target.id, Change.user_id != actor.id)
        .order_by(Change.id.desc())
        .limit(1)
    ).first()
    if later is not None:
        at, who, deal_id = later
        raise RuleViolation(
            f"cannot {verb}: {who} changed deal {deal_id} at {when(at, now)}, after your "
            f"change; {verb}ing it would overwrite theirs, so nothing was changed"
        )


def _describe(session: Session, target: Change, rows: list[AuditEntry], verb: str) -> str:
    title = ""
    if target.deal_id is not None:
        title = session.scalar(select(Deal.title).where(Deal.id == target.deal_id)) or ""
    said = [r for r in reversed(rows) if r.field not in _SKIPPED_FIELDS | _UNSAID_FIELDS]
    shown = said[:3]
    parts = ", ".join(
        f"{r.field.replace('_', ' ')} {readable_value(r.new_value) or '—'} → "
        f"{readable_value(r.old_value) or '—'}"
        for r in shown
    )
    done = "undid" if verb == "undo" else "redid"
    subject = f"deal {target.deal_id} {title!r}" if title else f"change #{target.id}"
    return f"{done} on {subject}: {parts}"


class _Reverter:
    """Puts each audited field back to its old value, checking it still holds the new one."""

    def __init__(self, session: Session, actor: User, now: datetime, verb: str) -> None:
        self.session = session
        self.actor = actor
        self.now = now
        self.verb = verb
        self._redone_move: tuple[Deal, int, datetime] | None = None
        #: Deals whose account or contact text went back: relinked to their records at the end.
        self._relink: dict[int, Deal] = {}
        #: Audit rows left as they are because a fact still holds (a Customer with a won deal).
        self.kept: set[int] = set()
        #: Deals whose contact (the person) goes back: their type goes back with them.
        self.switched_contact: set[int] = set()

    def row(self, row: AuditEntry) -> None:
        if row.action in ("create", "delete"):
            what = "adding" if row.action == "create" else "removing"
            raise RuleViolation(
                f"cannot {self.verb} {what} {row.entity} #{row.entity_id}: only moves, edits, "
                "ticks and closes can be undone; change it by hand"
            )
        handler: Callable[[AuditEntry], None] | None = {
            "deal": self._deal,
            "checklist": self._tick,
            "objection": self._objection,
            "stakeholder": self._stakeholder,
            "research": self._research,
            "bant": self._bant,
            "contact": self._contact,
        }.get(row.entity)
        if handler is None:
            raise RuleViolation(f"cannot {self.verb} a change to a {row.entity}")
        if row.field not in _SKIPPED_FIELDS:
            handler(row)

    def _moved_on(self, row: AuditEntry, now_shown: str | None) -> None:
        if (now_shown or "") != (row.new_value or ""):
            raise RuleViolation(
                f"cannot {self.verb}: {row.field.replace('_', ' ')} of {row.entity} "
                f"#{row.entity_id} is now {now_shown or '—'}, not {row.new_value or '—'}; "
                "nothing was changed"
            )

    # -- deals ------------------------------------------------------------

    def _deal(self, row: AuditEntry) -> None:
        deal = load_deal(self.session, row.entity_id, for_update=True)
        old = row.old_value
        if row.field == "stage":
            self._moved_on(row, deal.stage.name)
            self._enter(deal, old)
            return
        simple: dict[str, Callable[[str | None], object]] = {
            "title": _text,
            "account": _text,
            "contact": _text,
            "source": _text,
            "next_step": _text,
            "loss_note": _text,
            "closed_at": lambda v: datetime.fromisoformat(v) if v else None,
            "stage_entered_at": lambda v: datetime.fromisoformat(v) if v else self.now,
            "loss_reason": lambda v: LossReason(v) if v else None,
            "contact_type": lambda v: ContactType(v or ContactType.SUSPECT.value),
            "expected_close": _day,
            "next_step_due": _day,
        }
        if row.field not in ("position", "closed_at", "stage_entered_at"):  # bookkeeping
            self._moved_on(row, self._shown(deal, row.field))
        if (
            row.field == "contact_type"
            and deal.id not in self.switched_contact
            and self._still_customer(row, deal.contact_id)
        ):
            return
        if row.field == "position":
            self._restore_position(deal, int(old or 0))
        elif row.field in simple:
            setattr(deal, row.field, simple[row.field](old))
            if row.field in ("account", "contact"):
                self._relink[deal.id] = deal
        elif row.field == "value":
            money = parse_money(old or "0", deal.currency)
            deal.value_minor, deal.currency = money.minor, money.currency
        elif row.field == "owner":
            deal.owner_id = find_user(self.session, old or "", "owner", by_name=False).id
        elif row.field == "tags":
            wanted = {t.strip() for t in (old or "").split(",") if t.strip()}
            deal.tags = [t for t in deal.tags if t.tag in wanted] + [
                DealTag(tag=t) for t in sorted(wanted - {t.tag for t in deal.tags})
            ]
        else:
            raise RuleViolation(f"cannot {self.verb} a change to the deal's {row.field}")
        deal.updated_at = self.now

    def _shown(self, deal: Deal, field: str) -> str | None:
        """The deal's field as the audit log writes it (see `deals._snapshot`)."""
        if field == "value":
            return format_money(deal.value_minor or 0, deal.currency)
        if field == "owner":
            return self.session.scalar(select(User.name).where(User.id == deal.owner_id))
        if field == "tags":
            return audit.as_text(tuple(sorted(t.tag for t in deal.tags)))
        return audit.as_text(getattr(deal, field, None))

    def _enter(self, deal: Deal, stage_name: str | None) -> None:
        target = next((s for s in deal.pipeline.stages if s.name == stage_name), None)
        if target is None:
            raise RuleViolation(f"cannot {self.verb}: stage {stage_name!r} no longer exists")
        if target.id != deal.stage_id:
            load = wip.stage_load(self.session, target, lock=True)
            if load is not None and wip_refuses(load) and self.actor.role is not Role.MANAGER:
                raise RuleViolation(f"cannot {self.verb}: {load.reason}; nothing was changed")
        if self.verb == "undo":
            self._drop_transition(deal, target.id)
        else:
            self._redone_move = (deal, deal.stage_id, deal.stage_entered_at)
        deal.stage_id, deal.stage = target.id, target
        deal.position = next_position(self.session, target.id)
        deal.stage_entered_at = self.now
        deal.updated_at = self.now

    def _drop_transition(self, deal: Deal, back_to: int) -> None:
        """Remove the undone move's transition: the newest one out of the stage it goes back to.

        Moves recorded before undo kept entry times have one too; nobody else has
        moved the deal since (checked before), so the newest one is this move's.
        """
        last = self.session.scalar(
            select(StageTransition.id)
            .where(
                StageTransition.deal_id == deal.id,
                StageTransition.from_stage_id == back_to,
                StageTransition.to_stage_id == deal.stage_id,
            )
            .order_by(StageTransition.id.desc())
            .limit(1)
        )
        if last is not None:
            self.session.execute(delete(StageTransition).where(StageTransition.id == last))

    def _restore_position(self, deal: Deal, position: int) -> None:
        """Back to its old spot; if a card holds it now, just after that card.

        Positions only grow when cards shift, so a card found on the spot was in
        front of this one before (or was dropped there): it keeps its place.
        """
        taken = self.session.scalar(
            select(
                exists().where(
                    Deal.stage_id == deal.stage_id, Deal.id != deal.id, Deal.position == position
                )
            )
        )
        if taken:
            position += 1
            self.session.execute(
                update(Deal)
                .where(
                    Deal.stage_id == deal.stage_id, Deal.id != deal.id, Deal.position >= position
                )
                .values(position=Deal.position + 1)
            )
        deal.position = position

    def finish(self) -> None:
        """Relink deals whose account or contact went back; a redone move records its
        transition again, at the moment and with the stay it had."""
        for deal in self._relink.values():
            accounts.link(self.session, deal, self.now, restoring=True)
        if self._redone_move is None:
            return
        deal, from_stage_id, entered = self._redone_move
        self.session.add(
            StageTransition(
                deal_id=deal.id,
                from_stage_id=from_stage_id,
                to_stage_id=deal.stage_id,
                user_id=self.actor.id,
                at=deal.stage_entered_at,
                override_reason=None,
                stay_seconds=stay_seconds(entered, deal.stage_entered_at),
                imported=began_at_import(deal.imported_at, entered),
            )
        )

    def _still_customer(self, row: AuditEntry, contact_id: int | None) -> bool:
        """A Customer going back to a lower type stays one while any of their deals is won
        (the deal whose win is undone has left Won by now: the stage goes back first)."""
        customer = ContactType.CUSTOMER.value
        if contact_id is None or row.new_value != customer or row.old_value == customer:
            return False
        won = self.session.scalar(
            select(
                exists().where(
                    Deal.contact_id == contact_id,
                    Deal.stage_id == Stage.id,
                    Stage.kind == StageKind.WON,
                )
            )
        )
        if won:
            self.kept.add(row.id)
        return bool(won)

    # -- checklist, objections, stakeholders, research ------------------------

    def _tick(self, row: AuditEntry) -> None:
        tick = self.session.scalar(
            select(ChecklistTick).where(
                and_(
                    ChecklistTick.deal_id == row.deal_id,
                    ChecklistTick.criterion_id == row.entity_id,
                )
            )
        )
        self._moved_on(row, "done" if tick is not None else "open")
        if row.old_value == "done":
            assert row.deal_id is not None
            self.session.add(
                ChecklistTick(
                    deal_id=row.deal_id,
                    criterion_id=row.entity_id,
                    checked_by_id=self.actor.id,
                    checked_at=self.now,
                )
            )
        elif tick is not None:
            self.session.delete(tick)

    def _objection(self, row: AuditEntry) -> None:
        objection = load_row(self.session, Objection, row.entity_id, "objection")
        parse: dict[str, Callable[[str | None], object]] = {
            "category": lambda v: ObjectionCategory(v),
            "text": _text,
            "response": _text,
            "hidden": lambda v: v == "yes",
            "status": lambda v: ObjectionStatus(v),
            "resolved_at": lambda v: datetime.fromisoformat(v) if v else None,
        }
        self._field(objection, row, parse)

    def _stakeholder(self, row: AuditEntry) -> None:
        person = load_row(self.session, Stakeholder, row.entity_id, "stakeholder")
        parse: dict[str, Callable[[str | None], object]] = {
            "name": _text,
            "role": _text,
            "influence": lambda v: Influence(v),
            "stance": lambda v: Stance(v),
        }
        self._field(person, row, parse)

    def _contact(self, row: AuditEntry) -> None:
        """A contact record's type, as a win changed it: undoing the win puts it back."""
        contact = load_row(self.session, Contact, row.entity_id, "contact")
        if self._still_customer(row, contact.id):
            self._moved_on(row, audit.as_text(contact.contact_type))
            return
        self._field(
            contact,
            row,
            {"contact_type": lambda v: ContactType(v or ContactType.SUSPECT.value)},
        )

    def _research(self, row: AuditEntry) -> None:
        notes = load_row(self.session, ResearchNotes, row.entity_id, "research notes")
        self._field(notes, row, {row.field: _text})
        notes.updated_at = self.now

    def _bant(self, row: AuditEntry) -> None:
        """`BANT budget` holds the state, `BANT budget note` the note."""
        words = row.field.split()
        item = BantItem(words[1])
        answer = self.session.get(BantAnswer, (row.entity_id, item))
        if answer is None:
            answer = BantAnswer(deal_id=row.entity_id, item=item, state=BantState.UNKNOWN, note="")
            self.session.add(answer)
        if words[-1] == "note":
            self._moved_on(row, answer.note)
            answer.note = row.old_value or ""
        else:
            self._moved_on(row, answer.state.value)
            answer.state = BantState(row.old_value or BantState.UNKNOWN.value)

    def _field(
        self, record: object, row: AuditEntry, parse: dict[str, Callable[[str | None], object]]
    ) -> None:
        if row.field not in parse:
            raise RuleViolation(f"cannot {self.verb} a change to {row.entity} {row.field}")
        self._moved_on(row, audit.as_text(getattr(record, row.field)))
        setattr(record, row.field, parse[row.field](row.old_value))


def _text(value: str | None) -> str:
    return value or ""


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
