"""BANT: the four qualification questions, answered per deal, and their link to the gate.

A pipeline may tie an exit criterion to a BANT item ("Budget confirmed" →
budget). Such a criterion is ticked exactly when that answer is `yes`: answering
yes ticks it, anything else unticks it, and ticking it by hand answers yes.
So the gate keeps one rule (every criterion ticked) while the Qualify stage
can only be left with real answers.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealboard.db.models import BantAnswer, Deal, StageCriterion, User
from dealboard.domain import audit
from dealboard.domain.choices import parse_choice
from dealboard.domain.permissions import deal_to_change
from dealboard.domain.text import clean_text
from dealboard.domain.ties import follow_data
from dealboard.vocabulary import BantItem, BantState

#: The compact mark on a card: a letter per item, its case and sign saying how far it is.
_LETTERS = {BantItem.BUDGET: "b", BantItem.AUTHORITY: "a", BantItem.NEED: "n", BantItem.TIMING: "t"}


def set_answer(
    session: Session,
    actor: User,
    deal_id: int,
    item: str,
    state: str,
    note: str | None,
    now: datetime,
) -> BantState:
    """Answer one BANT question; criteria tied to it are ticked or unticked to match."""
    deal = deal_to_change(session, actor, deal_id, "answer BANT for")
    which = parse_choice(BantItem, item, "BANT item")
    new_state = parse_choice(BantState, state, "BANT state")
    answer = session.get(BantAnswer, (deal.id, which))
    if answer is None:
        answer = BantAnswer(deal_id=deal.id, item=which, state=BantState.UNKNOWN, note="")
        session.add(answer)
    new_note = answer.note if note is None else clean_text("BANT note", note, max_length=2000)
    changes = {
        f"BANT {which.value}": (answer.state, new_state),
        f"BANT {which.value} note": (answer.note, new_note),
    }
    answer.state, answer.note = new_state, new_note
    audit.record(
        session,
        actor,
        action="update",
        entity="bant",
        entity_id=deal.id,
        deal_id=deal.id,
        at=now,
        changes=changes,
    )
    sync_ticks(session, actor, deal, which, new_state is BantState.YES, now)
    return new_state


def sync_ticks(
    session: Session, actor: User, deal: Deal, item: BantItem, yes: bool, now: datetime
) -> None:
    """Tick (or untick) every criterion of the deal's pipeline tied to `item`."""
    tied = session.scalars(
        select(StageCriterion)
        .join(StageCriterion.stage)
        .where(
            StageCriterion.bant_item == item, StageCriterion.stage.has(pipeline_id=deal.pipeline_id)
        )
    ).all()
    for criterion in tied:
        follow_data(session, actor, deal.id, criterion, yes, now)


def answer_from_tick(
    session: Session,
    actor: User,
    deal: Deal,
    criterion: StageCriterion,
    ticked: bool,
    now: datetime,
) -> None:
    """A hand tick on a BANT criterion answers `yes`; unticking a `yes` makes it `partial`."""
    if criterion.bant_item is None:
        return
    answer = session.get(BantAnswer, (deal.id, criterion.bant_item))
    old = answer.state if answer is not None else BantState.UNKNOWN
    new = BantState.YES if ticked else (BantState.PARTIAL if old is BantState.YES else old)
    if new is old:
        return
    if answer is None:
        answer = BantAnswer(deal_id=deal.id, item=criterion.bant_item, state=old, note="")
        session.add(answer)
    answer.state = new
    audit.record(
        session,
        actor,
        action="update",
        entity="bant",
        entity_id=deal.id,
        deal_id=deal.id,
        at=now,
        changes={f"BANT {criterion.bant_item.value}": (old, new)},
    )


def mark(answers: tuple[tuple[BantItem, BantState], ...]) -> str:
    """`BAnt`-style: capital = yes, small = partial, `·` = unknown, `-` = no (readable unstyled)."""
    states = dict(answers)
    out = []
    for item, letter in _LETTERS.items():
        state = states.get(item, BantState.UNKNOWN)
        out.append(
            letter.upper()
            if state is BantState.YES
            else letter
            if state is BantState.PARTIAL
            else "-"
            if state is BantState.NO
            else "·"
        )
    return "".join(out)
