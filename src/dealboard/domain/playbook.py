"""The playbook: a pipeline's process written down, for a new hire or for a buyer.

One structure, read from the board in one go, that the Markdown and HTML
renderers (`playbook_markdown`, `playbook_html`) turn into a page. The
audience is decided here, not in the renderers: a buyer's playbook simply
holds nothing internal (no win probabilities, SLAs, cadences, quiet
thresholds, BANT ties, call scripts or emails, closed stages or loss
reasons), so no renderer can leak them by mistake. What a buyer does get:
the steps in order, what each is for, and what is agreed before moving on
(the seeds: be upfront about the steps so the buyer can say how they buy).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealboard.db.models import Stage, StageTemplate
from dealboard.domain import queries
from dealboard.domain.lookup import find_pipeline
from dealboard.domain.pipeline_spec import Cadence
from dealboard.domain.stage_limits import WipLimit
from dealboard.vocabulary import (
    CHOOSABLE_LOSS_REASONS,
    BantItem,
    LossReason,
    StageKind,
    TemplateKind,
)


class Audience(StrEnum):
    """Who the playbook is for: the team (everything) or a buyer (the steps only)."""

    TEAM = "team"
    BUYER = "buyer"


#: What each loss reason means, in the words of the seeds.
LOSS_REASON_MEANINGS: dict[LossReason, str] = {
    LossReason.COMPETITOR: "they bought from someone else",
    LossReason.NO_DECISION: "they did nothing: no decision, the deal went quiet",
    LossReason.PRICE: "the price was the reason",
    LossReason.TIMING: "not now: the timing was wrong",
    LossReason.NO_FIT: "we could not meet the need",
    LossReason.OTHER: "anything else; the note says why",
}

#: How deals move, for the team: the gate as `dealboard.domain.gate` enforces it.
TEAM_RULES: tuple[str, ...] = (
    "A deal moves on only when the exit criteria of its stage are all ticked: "
    "each step earns the right to the next one.",
    "No stage can be skipped: moving forward past several stages needs the criteria "
    "of every stage passed over.",
    "Moving back is always allowed.",
    "Winning needs the criteria of every open stage. Closing as lost works from any "
    "open stage and needs a loss reason.",
    "A manager may override the gate with a reason; the override is recorded with who and when.",
    "Every open deal has a next step with a date; none, or one past due, is flagged.",
)

#: The rule a hard WIP limit adds, for a pipeline that has one.
WIP_RULE = (
    "A stage at its hard WIP limit takes no more deals, moving forward or back, "
    "until one leaves; a manager may override with a reason."
)

#: The buyer's introduction: be upfront about the steps, and invite them to say how they buy.
BUYER_INTRODUCTION = (
    "These are the steps we go through with you. At each step we agree what is done "
    "before we move on, so you always know where things stand and what comes next. "
    "If you prefer to buy differently, tell us: the steps should follow how you buy."
)


@dataclass(frozen=True)
class PlaybookCriterion:
    """An exit criterion; `bant` when answering that BANT question yes ticks it."""

    text: str
    bant: BantItem | None = None


@dataclass(frozen=True)
class PlaybookTemplate:
    """A stage's call script or email, placeholders left as written."""

    name: str
    kind: TemplateKind
    subject: str
    body: str


@dataclass(frozen=True)
class PlaybookStage:
    """One open stage: what it is for and what must be done before moving on."""

    number: int
    name: str
    purpose: str
    criteria: tuple[PlaybookCriterion, ...]
    #: Team only from here on (None or empty in a buyer's playbook).
    probability: int | None = None
    rot_days: int | None = None
    cadence: Cadence | None = None
    #: The cadence is the pipeline's follow-up rule, not one the stage sets itself.
    cadence_inherited: bool = False
    templates: tuple[PlaybookTemplate, ...] = ()
    #: How many open deals the stage holds at most (team only).
    wip: WipLimit | None = None


@dataclass(frozen=True)
class ClosedStage:
    """Won or lost: where deals end."""

    name: str
    kind: StageKind
    purpose: str


@dataclass(frozen=True)
class Playbook:
    """Everything a playbook page shows, already cut to its audience."""

    audience: Audience
    name: str
    title: str
    description: str
    stages: tuple[PlaybookStage, ...]
    generated_on: date
    closed: tuple[ClosedStage, ...] = ()
    speed_to_lead_minutes: int | None = None
    follow_up: Cadence | None = None
    loss_reasons: tuple[LossReason, ...] = ()
    rules: tuple[str, ...] = ()

    @property
    def for_buyer(self) -> bool:
        return self.audience is Audience.BUYER


def build_playbook(session: Session, name: str | None, audience: Audience, today: date) -> Playbook:
    """The named pipeline's playbook (the first pipeline when no name is given); reads only."""
    pipeline = find_pipeline(session, name)
    record = queries.pipeline_record(pipeline)  # the effective cadence of each stage
    templates = _templates_by_stage(session, pipeline.id)
    team = audience is Audience.TEAM
    open_stages = [
        (stage, plain)
        for stage, plain in zip(pipeline.stages, record.stages, strict=True)
        if plain.kind is StageKind.OPEN
    ]
    stages = []
    for number, (stage, plain) in enumerate(open_stages, 1):
        cadence = (
            Cadence(plain.cadence_attempts, plain.cadence_days)
            if plain.cadence_attempts is not None and plain.cadence_days is not None
            else None
        )
        stages.append(
            PlaybookStage(
                number=number,
                name=stage.name,
                purpose=stage.purpose,
                criteria=tuple(
                    PlaybookCriterion(c.text, c.bant_item if team else None) for c in stage.criteria
                ),
                probability=stage.probability if team else None,
                rot_days=stage.rot_days if team else None,
                cadence=cadence if team else None,
                cadence_inherited=team and cadence is not None and stage.cadence_attempts is None,
                templates=templates.get(stage.id, ()) if team else (),
                wip=plain.wip if team else None,
            )
        )
    if not team:
        return Playbook(audience, pipeline.name, pipeline.title, "", tuple(stages), today)
    follow_up = (
        Cadence(pipeline.follow_up_attempts, pipeline.follow_up_days)
        if pipeline.follow_up_attempts is not None and pipeline.follow_up_days is not None
        else None
    )
    return Playbook(
        audience,
        pipeline.name,
        pipeline.title,
        pipeline.description,
        tuple(stages),
        today,
        closed=tuple(
            ClosedStage(s.name, s.kind, s.purpose)
            for s in pipeline.stages
            if s.kind is not StageKind.OPEN
        ),
        speed_to_lead_minutes=pipeline.speed_to_lead_minutes,
        follow_up=follow_up,
        loss_reasons=CHOOSABLE_LOSS_REASONS,
        rules=TEAM_RULES + ((WIP_RULE,) if any(_hard(s) for s in stages) else ()),
    )


def _hard(stage: PlaybookStage) -> bool:
    return stage.wip is not None and stage.wip.hard


def _templates_by_stage(
    session: Session, pipeline_id: int
) -> dict[int, tuple[PlaybookTemplate, ...]]:
    rows = session.scalars(
        select(StageTemplate)
        .join(Stage, Stage.id == StageTemplate.stage_id)
        .where(Stage.pipeline_id == pipeline_id)
        .order_by(StageTemplate.stage_id, StageTemplate.position)
    )
    found: dict[int, list[PlaybookTemplate]] = defaultdict(list)
    for row in rows:
        found[row.stage_id].append(PlaybookTemplate(row.name, row.kind, row.subject, row.body))
    return {stage_id: tuple(items) for stage_id, items in found.items()}


def duration_text(minutes: int) -> str:
    """`5 minutes`, `2 hours`, `1 day`: the largest whole unit."""
    for size, unit in ((24 * 60, "day"), (60, "hour")):
        if minutes >= size and minutes % size == 0:
            count = minutes // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{minutes} minute{'s' if minutes != 1 else ''}"


def wip_text(limit: WipLimit) -> str:
    """`at most 6 open deals; a move into a full stage is refused (a manager may override)`."""
    deals = "deal" if limit.max == 1 else "deals"
    if limit.hard:
        return (
            f"at most {limit.max} open {deals}; a move into the full stage is refused "
            "(a manager may override with a reason)"
        )
    return f"{limit.max} open {deals}; the board warns when the stage reaches it"


def cadence_text(cadence: Cadence) -> str:
    """`5 attempts within 14 days`."""
    attempts = "attempt" if cadence.attempts == 1 else "attempts"
    days = "day" if cadence.days == 1 else "days"
    return f"{cadence.attempts} {attempts} within {cadence.days} {days}"


def sla_lines(playbook: Playbook) -> list[str]:
    """The service levels as sentences (empty for a buyer, or a pipeline without SLAs)."""
    lines = []
    if playbook.speed_to_lead_minutes is not None:
        lines.append(
            "Speed to lead: a new lead is contacted within "
            f"{duration_text(playbook.speed_to_lead_minutes)} of arriving."
        )
    if playbook.follow_up is not None:
        lines.append(
            f"Follow-up: a new lead gets {cadence_text(playbook.follow_up)} "
            "before it may be marked lost (no decision)."
        )
    if lines:
        lines.append(
            "SLAs are tracked per owner, on the board's SLA screen (M) and in "
            "dealboard report sla; neglected deals can be reassigned."
        )
    return lines
