"""Criteria tied to a deal's data: ticked by the research notes or the objection log, not by hand.

"Buying process described" is true when the buying process is written down,
and "Every logged objection resolved" when none is left unresolved. A
pipeline file ties such a criterion to its data (`research = "buying_process"`,
`objections = "resolved"`); the tick then follows the data whenever the notes,
the stakeholders or the objections change, and a hand tick against the data is
refused, so the gate's one rule (every criterion ticked) cannot be talked past.

BANT ties (`bant.py`) differ on purpose: a hand tick there *is* an answer
(yes), whereas no tick can write a buying process or settle an objection.

Stored in `stage_criteria.tie` as `research:<field>` or `objections:resolved`.
An objection counts as resolved only with the status `resolved`: `answered`
means we replied, not that the buyer accepted it. A deal with no objections
logged has none unresolved.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from dealboard.db.models import (
    ChecklistTick,
    Deal,
    Objection,
    ResearchNotes,
    Stage,
    StageCriterion,
    Stakeholder,
    User,
)
from dealboard.domain import audit
from dealboard.domain.errors import InvalidInput, RuleViolation
from dealboard.vocabulary import BantItem, ObjectionStatus

#: Research fields a criterion may follow, with how the refusal names them.
RESEARCH_FIELDS = {
    "stakeholders": "list a key stakeholder",
    "interests": "write the stakeholders' interests",
    "buying_process": "describe the buying process",
    "key_objectives": "write the key objectives",
    "decision_timing": "write when decisions are made",
    "pain_points": "write the pain points",
}
#: What an `objections` tie may ask for.
OBJECTION_RULES = {"resolved": "resolve every objection"}
#: Every value `stage_criteria.tie` may hold.
TIES = frozenset(
    [f"research:{f}" for f in RESEARCH_FIELDS] + [f"objections:{r}" for r in OBJECTION_RULES]
)


def parse_tie(research: object, objections: object, key: str) -> str | None:
    """The stored tie for a pipeline file's `research`/`objections` keys (at most one)."""
    if research is not None and objections is not None:
        raise InvalidInput(key, "research and objections", "tie a criterion to one thing")
    if research is not None:
        if research not in RESEARCH_FIELDS:
            raise InvalidInput(f"{key}.research", research, "use " + ", ".join(RESEARCH_FIELDS))
        return f"research:{research}"
    if objections is not None:
        if objections not in OBJECTION_RULES:
            raise InvalidInput(f"{key}.objections", objections, "use resolved")
        return f"objections:{objections}"
    return None


def follows(tie: str | None, bant_item: BantItem | None) -> str:
    """What a criterion ticks itself from, as the gate names it ("" for a hand-only tick).

    `Research: Buying process`, `BANT: Budget` or `objections`: the user can
    see which ticks are the data's doing before trying to tick one by hand.
    """
    if bant_item is not None:
        return f"BANT: {bant_item.value.capitalize()}"
    if tie is None:
        return ""
    kind, _, what = tie.partition(":")
    if kind == "objections":
        return "objections"
    return f"Research: {what.replace('_', ' ').capitalize()}"


def check_tie(value: object) -> None:
    """Refuse a stored tie the board does not know (a restored file may carry anything)."""
    if value is not None and value not in TIES:
        raise InvalidInput("tie", value, "use " + ", ".join(sorted(TIES)) + " or nothing")


def is_met(session: Session, deal_id: int, tie: str) -> bool:
    """Whether the deal's data satisfies the tie right now."""
    return deal_id in deals_meeting(session, [deal_id], tie)


def deals_meeting(session: Session, deal_ids: Sequence[int], tie: str) -> set[int]:
    """Which of the deals satisfy the tie: one query, however many deals (the demo's 43)."""
    kind, _, what = tie.partition(":")
    if kind == "objections":
        unresolved = select(Objection.deal_id).where(
            Objection.deal_id.in_(deal_ids), Objection.status != ObjectionStatus.RESOLVED
        )
        return set(deal_ids) - set(session.scalars(unresolved.distinct()))
    if what == "stakeholders":
        listed = select(Stakeholder.deal_id).where(Stakeholder.deal_id.in_(deal_ids))
        return set(session.scalars(listed.distinct()))
    column = getattr(ResearchNotes, what)
    rows = session.execute(
        select(ResearchNotes.deal_id, column).where(ResearchNotes.deal_id.in_(deal_ids))
    )
    return {deal_id for deal_id, note in rows if str(note or "").strip()}


def refuse_hand_tick(session: Session, deal_id: int, criterion: StageCriterion, tick: bool) -> None:
    """A tick by hand must agree with the data the criterion follows."""
    if criterion.tie is None or is_met(session, deal_id, criterion.tie) == tick:
        return
    kind, _, what = criterion.tie.partition(":")
    todo = RESEARCH_FIELDS[what] if kind == "research" else OBJECTION_RULES[what]
    source = "research notes" if kind == "research" else "objection log"
    if tick:
        raise RuleViolation(
            f"{criterion.text!r} follows the deal's {source}: {todo} (deal screen, "
            f"{'research' if kind == 'research' else 'objections'} tab) and it ticks itself"
        )
    raise RuleViolation(
        f"{criterion.text!r} follows the deal's {source}, which satisfies it; "
        f"change the {source} to untick it"
    )


def sync(session: Session, actor: User, deal_id: int, now: datetime) -> None:
    """Tick or untick every tied criterion of the deal's pipeline to match its data.

    Every tick it writes or removes is audited like a hand tick, so the log
    always accounts for the ticks a deal holds (a new deal's included).
    """
    sync_many(session, [(actor, deal_id, now)])


def sync_many(session: Session, deals: Sequence[tuple[User, int, datetime]]) -> None:
    """`sync` for many deals at once (each by its actor, at its time), in a few queries.

    Seeding the demo synced deal by deal: four round trips per tied criterion,
    seconds on PostgreSQL. The reads here are one per tie, whatever the count.
    """
    session.flush()
    deal_ids = [deal_id for _, deal_id, _ in deals]
    # (a list of pairs: dict() would take a Result for a mapping, having keys())
    pairs = session.execute(select(Deal.id, Deal.pipeline_id).where(Deal.id.in_(deal_ids)))
    pipelines = dict(pairs.all())
    tied = session.scalars(
        select(StageCriterion)
        .join(Stage, Stage.id == StageCriterion.stage_id)
        .where(StageCriterion.tie.is_not(None), Stage.pipeline_id.in_(set(pipelines.values())))
    ).all()
    if not tied:
        return
    meeting = {tie: deals_meeting(session, deal_ids, tie) for tie in {c.tie for c in tied if c.tie}}
    ticks = {
        (tick.deal_id, tick.criterion_id): tick
        for tick in session.scalars(
            select(ChecklistTick).where(
                ChecklistTick.deal_id.in_(deal_ids),
                ChecklistTick.criterion_id.in_([c.id for c in tied]),
            )
        )
    }
    for actor, deal_id, now in deals:
        for criterion in tied:
            if criterion.tie is None or criterion.stage.pipeline_id != pipelines[deal_id]:
                continue
            met = deal_id in meeting[criterion.tie]
            _follow(
                session, actor, deal_id, criterion, met, ticks.get((deal_id, criterion.id)), now
            )
    session.flush()


def follow_data(
    session: Session,
    actor: User,
    deal_id: int,
    criterion: StageCriterion,
    met: bool,
    now: datetime,
) -> bool:
    """Tick or untick one criterion (by hand, or following BANT, research, objections), audited.

    Audited, so undo and the log account for it; nothing is written when the
    tick already says so. True if it changed.
    """
    tick = session.scalar(
        select(ChecklistTick).where(
            ChecklistTick.deal_id == deal_id, ChecklistTick.criterion_id == criterion.id
        )
    )
    return _follow(session, actor, deal_id, criterion, met, tick, now)


def _follow(
    session: Session,
    actor: User,
    deal_id: int,
    criterion: StageCriterion,
    met: bool,
    tick: ChecklistTick | None,
    now: datetime,
) -> bool:
    """`follow_data` once the deal's tick (or its absence) is known."""
    if met and tick is None:
        session.add(
            ChecklistTick(
                deal_id=deal_id, criterion_id=criterion.id, checked_by_id=actor.id, checked_at=now
            )
        )
    elif not met and tick is not None:
        session.execute(delete(ChecklistTick).where(ChecklistTick.id == tick.id))
    else:
        return False
    audit.record(
        session,
        actor,
        action="update",
        entity="checklist",
        entity_id=criterion.id,
        deal_id=deal_id,
        at=now,
        changes={
            f"{criterion.stage.name}: {criterion.text}": (
                "open" if met else "done",
                "done" if met else "open",
            )
        },
    )
    return True
