"""Fills an empty board with the demo pipeline: deals with believable history, all in one go.

Written straight through the models in a single transaction (not through
hundreds of small operations) so `dealboard demo` starts at once, and with
back-dated history so days-in-stage, overdue steps and won/lost reports have
something to show.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dealboard.db.models import (
    Activity,
    BantAnswer,
    ChecklistTick,
    Deal,
    DealTag,
    Objection,
    ResearchNotes,
    Stage,
    StageTransition,
    Stakeholder,
    User,
)
from dealboard.domain import audit, demo_accounts, ties
from dealboard.domain.board import Board
from dealboard.domain.demo_data import DEALS, USERS, DemoActivity, DemoDeal
from dealboard.domain.demo_goals import seed_goals
from dealboard.domain.demo_revision import seed_revision
from dealboard.domain.errors import RuleViolation
from dealboard.domain.lookup import find_pipeline
from dealboard.domain.money import parse_money
from dealboard.domain.moves import stay_seconds
from dealboard.domain.users import acting_user, find_login, require_manager
from dealboard.vocabulary import (
    ActivityKind,
    BantState,
    ContactType,
    Influence,
    LossReason,
    ObjectionCategory,
    ObjectionStatus,
    Role,
    StageKind,
    Stance,
)

#: The stage names the demo data is written against (the seven-step pipeline).
_DEMO_STAGES = (
    "Prospect",
    "Qualify",
    "Research",
    "Pitch",
    "Overcome Objections",
    "Close",
    "Follow-up",
)


def seed_demo(board: Board, pipeline_name: str) -> int:
    """Add the demo team and deals to an empty board; returns how many deals were added.

    The demo adds teammates (a manager among them) and deals in their names,
    so it is a manager's act, like adding teammates: a rep on a team board
    that has no deals yet must not be able to seed one.
    """
    now = board.now()
    with board.database.write() as session:
        existing = session.scalar(select(func.count(Deal.id)))
        if existing:
            raise RuleViolation(
                f"the board already has {existing} deals; demo deals go only "
                "into an empty board (try `dealboard demo`)"
            )
        actor = acting_user(session, board.actor_name, now)
        require_manager(actor, "fill the board with demo deals and teammates")
        team = _team(session, now)
        pipeline = find_pipeline(session, pipeline_name)
        added = [
            _add_deal(session, actor, team, pipeline.stages, pipeline.currency, demo, index, now)
            for index, demo in enumerate(DEALS)
        ]
        # Criteria tied to the notes or the objections tick as the data says, as on any board.
        ties.sync_many(session, added)
        demo_accounts.link_demo(session, [deal_id for _, deal_id, _ in added], now)
        seed_goals(session, actor, team, now)
        revised = seed_revision(session, actor, pipeline, team, now)
        return len(DEALS) + revised


def _team(session: Session, now: datetime) -> dict[str, User]:
    team: dict[str, User] = {}
    for demo_user in USERS:
        user = find_login(session, demo_user.name)
        if user is None:
            user = User(
                name=demo_user.name,
                display_name=demo_user.display_name,
                role=Role(demo_user.role),
                created_at=now - timedelta(days=400),
            )
            session.add(user)
        team[demo_user.name] = user
    session.flush()
    return team


def _target_stage(stages: list[Stage], demo_stage: str) -> Stage:
    """Map a seven-step stage onto any pipeline by its relative place among open stages."""
    if demo_stage in ("Won", "Lost"):
        kind = StageKind.WON if demo_stage == "Won" else StageKind.LOST
        return next(s for s in stages if s.kind is kind)
    open_stages = [s for s in stages if s.kind is StageKind.OPEN]
    index = _DEMO_STAGES.index(demo_stage)
    scaled = round(index * (len(open_stages) - 1) / (len(_DEMO_STAGES) - 1))
    return open_stages[scaled]


def _add_deal(
    session: Session,
    actor: User,
    team: dict[str, User],
    stages: list[Stage],
    currency: str,
    demo: DemoDeal,
    index: int,
    now: datetime,
) -> tuple[User, int, datetime]:
    """Write one demo deal and its history; returns who owns it, its id and when it entered
    its stage (what the tied criteria are synced with, once every deal is written)."""
    owner = team[demo.owner]
    target = _target_stage(stages, demo.stage)
    open_stages = [s for s in stages if s.kind is StageKind.OPEN]
    created = now - timedelta(days=demo.age_days, hours=index % 7)
    entered = now - timedelta(days=min(demo.days_in_stage, demo.age_days), hours=index % 5)
    money = parse_money(demo.value, currency)
    today = now.astimezone().date()
    deal = Deal(
        pipeline_id=target.pipeline_id,
        stage_id=target.id,
        title=demo.title,
        account=demo.account,
        contact=demo.contact,
        value_minor=money.minor,
        currency=money.currency,
        owner_id=owner.id,
        contact_type=ContactType(demo.contact_type),
        source=demo.source,
        expected_close=today + timedelta(days=demo.close_in_days),
        next_step=demo.next_step,
        next_step_due=(
            today + timedelta(days=demo.next_step_due_days)
            if demo.next_step and demo.next_step_due_days is not None
            else None
        ),
        position=index,
        stage_entered_at=entered,
        created_at=created,
        updated_at=entered,
        closed_at=entered if target.kind is not StageKind.OPEN else None,
        loss_reason=LossReason(demo.loss_reason) if demo.loss_reason else None,
        loss_note=demo.loss_note,
    )
    deal.tags = [DealTag(tag=t) for t in sorted(set(demo.tags))]
    session.add(deal)
    session.flush()
    audit.record(
        session,
        actor,
        action="create",
        entity="deal",
        entity_id=deal.id,
        deal_id=deal.id,
        at=created,
        changes={"title": (None, deal.title), "source": (None, "demo data")},
    )
    path = _path_to(open_stages, target, index)
    _history(session, deal, owner, path, target, created, entered)
    _ticks(session, deal, owner, path, target, index, entered)
    _notes(session, deal, owner, demo, created, now)
    return owner, deal.id, entered


def _path_to(open_stages: list[Stage], target: Stage, index: int) -> list[Stage]:
    """The open stages a deal walked through before reaching `target`."""
    if target.kind is StageKind.OPEN:
        return [s for s in open_stages if s.position < target.position]
    if target.kind is StageKind.WON:
        return list(open_stages)
    stop = 1 + index % max(1, len(open_stages) - 1)
    return open_stages[:stop]


def _history(
    session: Session,
    deal: Deal,
    owner: User,
    path: list[Stage],
    target: Stage,
    created: datetime,
    entered: datetime,
) -> None:
    steps = [*path, target]
    span = max(entered - created, timedelta(hours=1))
    previous: Stage | None = None
    previous_at = created
    for number, stage in enumerate(steps):
        at = created + span * number / max(1, len(steps) - 1)
        session.add(
            StageTransition(
                deal_id=deal.id,
                from_stage_id=previous.id if previous else None,
                to_stage_id=stage.id,
                user_id=owner.id,
                at=at,
                stay_seconds=stay_seconds(previous_at, at) if previous else None,
            )
        )
        previous, previous_at = stage, at


def _ticks(
    session: Session,
    deal: Deal,
    owner: User,
    path: list[Stage],
    target: Stage,
    index: int,
    entered: datetime,
) -> None:
    """Criteria of stages already passed are done; the current stage is part-way.

    A criterion tied to a BANT item is ticked together with a `yes` answer, as
    `bant.set_answer` would: the board must never show one without the other.
    A criterion tied to the research notes or the objections is left to
    `ties.sync`, which ticks it only if the deal's data earns it.
    """
    ticked = [c for stage in path for c in stage.criteria]
    if target.kind is StageKind.OPEN and target.criteria:
        ticked += target.criteria[: index % (len(target.criteria) + 1)]
    for criterion in ticked:
        if criterion.tie is not None:
            continue
        session.add(
            ChecklistTick(
                deal_id=deal.id,
                criterion_id=criterion.id,
                checked_by_id=owner.id,
                checked_at=entered,
            )
        )
        if criterion.bant_item is not None:
            session.add(BantAnswer(deal_id=deal.id, item=criterion.bant_item, state=BantState.YES))


def _notes(
    session: Session, deal: Deal, owner: User, demo: DemoDeal, created: datetime, now: datetime
) -> None:
    if demo.research is not None:
        r = demo.research
        session.add(
            ResearchNotes(
                deal_id=deal.id,
                interests=r.interests,
                buying_process=r.buying_process,
                key_objectives=r.key_objectives,
                decision_timing=r.decision_timing,
                pain_points=r.pain_points,
                free_text=r.free_text,
                updated_at=created,
            )
        )
        for s in r.stakeholders:
            session.add(
                Stakeholder(
                    deal_id=deal.id,
                    name=s.name,
                    role=s.role,
                    influence=Influence(s.influence),
                    stance=Stance(s.stance),
                )
            )
    for o in demo.objections:
        status = ObjectionStatus(o.status)
        session.add(
            Objection(
                deal_id=deal.id,
                category=ObjectionCategory(o.category),
                hidden=o.hidden,
                text=o.text,
                response=o.response,
                status=status,
                created_by_id=owner.id,
                created_at=created,
                resolved_at=now if status is ObjectionStatus.RESOLVED else None,
            )
        )
    first_touch = _first_touch(demo)
    for a in demo.activities:
        when = now - timedelta(days=a.days_ago)
        if a is first_touch and demo.answered_in_minutes is not None:
            when = created + timedelta(minutes=demo.answered_in_minutes)
        session.add(
            Activity(
                deal_id=deal.id,
                user_id=owner.id,
                kind=ActivityKind(a.kind),
                subject=a.subject,
                due_at=when,
                done_at=when if a.done else None,
                outcome=a.outcome,
                created_at=min(when, now),
            )
        )


def _first_touch(demo: DemoDeal) -> DemoActivity | None:
    """The deal's earliest done touch (a note is not one): what speed to lead measures."""
    done = [a for a in demo.activities if a.done and a.kind != ActivityKind.NOTE.value]
    return max(done, key=lambda a: a.days_ago, default=None)
