"""The demo's process change that worked: a Qualify criterion added 60 days ago, and its effect.

`seed_revision` records revision 1 of the demo pipeline — the team added
"Decision maker identified" to Qualify's exit criteria 60 days ago — and
writes the closed deals that let `dealboard report change` judge it: before
the change about half the deals entering Qualify moved on within 30 days,
after it about four in five, faster, and more of them were won. Every deal
is closed (won or lost), so the board's open columns are the demo's own.

`write_walks` is the bulk writer: deals whose whole history through one
stage is given (`Walk`), in a handful of statements.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import insert
from sqlalchemy.orm import Session

from dealboard.db.models import Deal, Pipeline, Stage, StageTransition, User
from dealboard.domain import revisions, ties
from dealboard.domain.moves import stay_seconds
from dealboard.vocabulary import ContactType, LossReason, StageKind

#: How a walk through the stage ends: moved on then won/lost/still open, lost from it, still in it.
Outcome = Literal["on-won", "on-lost", "on-open", "lost", "stay"]

#: The criterion the demo's revision added (it is in the shipped Qualify stage).
DEMO_CRITERION = "Decision maker identified"
#: Days ago the demo's revision was imported.
DEMO_REVISION_DAYS = 60


@dataclass(frozen=True)
class Walk:
    """One deal's way through a stage: when it entered, how long it stayed, how it ended."""

    entered: datetime
    stay: timedelta
    outcome: Outcome
    value_minor: int = 1_000_000


def write_walks(
    session: Session,
    pipeline: Pipeline,
    stage: Stage,
    owner: User,
    walks: list[Walk],
    title: str = "Deal",
) -> list[tuple[User, int, datetime]]:
    """Insert a deal and its moves per walk (created 2 days before entering, in the first
    open stage); returns each deal's owner, id and when it entered its last stage."""
    stages = list(pipeline.stages)
    opened = [s for s in stages if s.kind is StageKind.OPEN]
    won = next(s for s in stages if s.kind is StageKind.WON)
    lost = next(s for s in stages if s.kind is StageKind.LOST)
    after = next((s for s in opened if s.position > stage.position), won)
    deals: list[dict[str, object]] = []
    paths: list[list[tuple[Stage, datetime]]] = []
    for number, walk in enumerate(walks, 1):
        before = [s for s in opened if s.position < stage.position]
        created = walk.entered - timedelta(days=2) if before else walk.entered
        path = [(s, created + (walk.entered - created) * i / len(before)) for i, s in
                enumerate(before)]  # fmt: skip
        path.append((stage, walk.entered))
        left = walk.entered + walk.stay
        if walk.outcome == "lost":
            path.append((lost, left))
        elif walk.outcome != "stay":
            path.append((after, left))
            if walk.outcome != "on-open":
                path.append((won if walk.outcome == "on-won" else lost, left + timedelta(days=9)))
        final, final_at = path[-1]
        closed = final.kind is not StageKind.OPEN
        deals.append(
            {
                "pipeline_id": pipeline.id,
                "stage_id": final.id,
                "title": f"{title} {number}",
                "value_minor": walk.value_minor,
                "currency": pipeline.currency,
                "owner_id": owner.id,
                "contact_type": ContactType.CUSTOMER
                if final.kind is StageKind.WON
                else ContactType.LEAD,
                "position": 10_000 + number,  # after the cards already in the column
                "stage_entered_at": final_at,
                "created_at": created,
                "updated_at": final_at,
                "closed_at": final_at if closed else None,
                "loss_reason": LossReason.NO_DECISION if final.kind is StageKind.LOST else None,
                "version": 1,
            }
        )
        paths.append(path)
    if not deals:
        return []
    ids = session.scalars(insert(Deal).returning(Deal.id, sort_by_parameter_order=True), deals)
    moves: list[dict[str, object]] = []
    ids_written = list(ids.all())
    for deal_id, path in zip(ids_written, paths, strict=True):
        previous: tuple[Stage, datetime] | None = None
        for stage_now, at in path:
            moves.append(
                {
                    "deal_id": deal_id,
                    "from_stage_id": previous[0].id if previous else None,
                    "to_stage_id": stage_now.id,
                    "user_id": owner.id,
                    "at": at,
                    "stay_seconds": stay_seconds(previous[1], at) if previous else None,
                    "imported": False,
                }
            )
            previous = (stage_now, at)
    session.execute(insert(StageTransition), moves)
    return [(owner, deal_id, path[-1][1]) for deal_id, path in zip(ids_written, paths, strict=True)]


def seed_revision(
    session: Session, actor: User, pipeline: Pipeline, team: dict[str, User], now: datetime
) -> int:
    """Record the demo's revision of Qualify and write the deals that show its effect.

    Returns how many deals were added (all closed). A pipeline without a stage
    holding the criterion gets the revision on its second open stage.
    """
    opened = [s for s in pipeline.stages if s.kind is StageKind.OPEN]
    if len(opened) < 2:
        return 0
    stage = next(
        (s for s in opened if any(c.text == DEMO_CRITERION for c in s.criteria)), opened[1]
    )
    texts = [c.text for c in stage.criteria]
    criterion = DEMO_CRITERION if DEMO_CRITERION in texts or not texts else texts[0]
    at = now - timedelta(days=DEMO_REVISION_DAYS)
    change = revisions.RevisionChange(stage.id, stage.name, "criterion added", None, criterion)
    revisions.record(session, actor, pipeline, [change], at)
    owners = sorted(team.values(), key=lambda user: user.name)
    added: list[tuple[User, int, datetime]] = []
    for index, owner in enumerate(owners):
        added += write_walks(
            session,
            pipeline,
            stage,
            owner,
            _walks(at, index, len(owners)),
            f"{owner.display_name}'s lead",
        )
    # Criteria tied to the notes or the objections tick as the data says, as on any board.
    ties.sync_many(session, added)
    return len(added)


def _walks(at: datetime, part: int, parts: int) -> list[Walk]:
    """This owner's share of 48 deals before the change and 36 after (every `parts`-th)."""
    walks: list[Walk] = []
    for n in range(48):  # before: entered 95-190 days before now; about half moved on, slowly
        moved = n % 2 == 0
        stay = timedelta(days=8 + (n * 7) % 15, hours=n % 5)
        outcome: Outcome = ("on-won" if n % 8 != 6 else "on-lost") if moved else "lost"
        if not moved and n % 4 == 1:
            stay = timedelta(days=35 + n % 9)
        walks.append(Walk(at - timedelta(days=35 + 2 * n, hours=n % 7), stay, outcome))
    for n in range(36):  # after: entered 31-59 days ago; four in five moved on, faster
        moved = n % 5 != 4
        stay = timedelta(days=3 + (n * 5) % 8, hours=n % 6)
        outcome = ("on-lost" if n % 4 == 3 else "on-won") if moved else "lost"
        walks.append(Walk(at + timedelta(days=1 + (n * 27) // 36, hours=n % 9), stay, outcome))
    return walks[part::parts]
