"""Plain, immutable records the domain hands to the CLI and the UI (never ORM objects)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from dealboard.domain.stage_limits import WipLimit
from dealboard.vocabulary import (
    ActivityKind,
    BantItem,
    BantState,
    ContactType,
    DealOrigin,
    Influence,
    LossReason,
    ObjectionCategory,
    ObjectionStatus,
    Role,
    StageKind,
    Stance,
)


@dataclass(frozen=True)
class UserRecord:
    """A person on the board."""

    id: int
    name: str
    display_name: str
    role: Role


@dataclass(frozen=True)
class StageRecord:
    """A stage with its exit criteria texts, in order."""

    id: int
    name: str
    position: int
    kind: StageKind
    probability: int
    rot_days: int | None
    criteria: tuple[str, ...]
    #: The stage's cadence, or the pipeline's follow-up rule when the stage has none.
    cadence_attempts: int | None = None
    cadence_days: int | None = None
    #: The pipeline's speed-to-lead rule (minutes to the first touch), carried by each of
    #: its stages so a card's badges need nothing but the deal and its stage.
    speed_to_lead_minutes: int | None = None
    #: The stage's work-in-progress limit (None: no limit), as its column header shows it.
    wip: WipLimit | None = None


@dataclass(frozen=True)
class PipelineRecord:
    """A pipeline and its stages in order."""

    id: int
    name: str
    title: str
    description: str
    currency: str
    stages: tuple[StageRecord, ...]
    speed_to_lead_minutes: int | None = None

    @property
    def open_stages(self) -> tuple[StageRecord, ...]:
        return tuple(s for s in self.stages if s.kind is StageKind.OPEN)


@dataclass(frozen=True)
class DealSummary:
    """What a card or a list row shows; built for a whole board in a handful of queries."""

    id: int
    title: str
    account: str
    contact: str
    pipeline: str
    stage: str
    stage_id: int
    stage_kind: StageKind
    owner: str
    owner_display: str
    value_minor: int
    currency: str
    contact_type: ContactType
    source: str
    tags: tuple[str, ...]
    expected_close: date | None
    next_step: str
    next_step_due: date | None
    position: int
    stage_entered_at: datetime
    created_at: datetime
    closed_at: datetime | None
    loss_reason: LossReason | None
    loss_note: str
    checklist_done: int
    checklist_total: int
    open_objections: int
    version: int
    #: The first touch ever done on the deal (speed to lead), and the latest activity.
    first_touch_at: datetime | None = None
    last_activity_at: datetime | None = None
    #: Touches done since the deal entered its stage (the cadence's attempts).
    touches_in_stage: int = 0
    #: Whether one of those touches reached the buyer (a reply, a call picked up).
    reached_in_stage: bool = False
    #: The BANT answers given so far (items never answered are left out).
    bant: tuple[tuple[BantItem, BantState], ...] = ()
    #: When `dealboard import` brought the deal in (None: created on this board).
    imported_at: datetime | None = None
    #: The last change to the deal's own fields, stage or place (`changed:standup`).
    updated_at: datetime | None = None

    @property
    def status(self) -> str:
        """`open`, `won` or `lost`: the stage kind, named as users say it."""
        return self.stage_kind.value


@dataclass(frozen=True)
class ChecklistItem:
    """One exit criterion on one deal: where it belongs, and who ticked it when."""

    criterion_id: int
    stage: str
    stage_position: int
    position: int
    text: str
    checked: bool
    checked_by: str | None
    checked_at: datetime | None


@dataclass(frozen=True)
class StakeholderRecord:
    """A person on the buyer's side."""

    id: int
    name: str
    role: str
    influence: Influence
    stance: Stance
    version: int = 1


@dataclass(frozen=True)
class ResearchRecord:
    """What the Research stage gathered."""

    interests: str = ""
    buying_process: str = ""
    key_objectives: str = ""
    decision_timing: str = ""
    pain_points: str = ""
    free_text: str = ""
    stakeholders: tuple[StakeholderRecord, ...] = ()
    #: 0 while the deal has no notes yet.
    version: int = 0


@dataclass(frozen=True)
class ObjectionRecord:
    """A buyer's concern and where it stands."""

    id: int
    category: ObjectionCategory
    hidden: bool
    text: str
    response: str
    status: ObjectionStatus
    created_at: datetime
    resolved_at: datetime | None
    version: int = 1


@dataclass(frozen=True)
class ActivityRecord:
    """A touch, scheduled or done."""

    id: int
    kind: ActivityKind
    subject: str
    user: str
    due_at: datetime | None
    done_at: datetime | None
    outcome: str


@dataclass(frozen=True)
class TransitionRecord:
    """A move between stages; `from_stage` is None for the deal's creation."""

    from_stage: str | None
    to_stage: str
    user: str
    at: datetime
    override_reason: str | None


@dataclass(frozen=True)
class AuditRecord:
    """One recorded change to one field."""

    at: datetime
    user: str
    action: str
    entity: str
    entity_id: int
    field: str
    old_value: str | None
    new_value: str | None
    #: `do` for a change of its own, `undo`/`redo` when it reverted another.
    kind: str = "do"


@dataclass(frozen=True)
class BantRecord:
    """One qualification answer (unknown until someone answers it)."""

    item: BantItem
    state: BantState
    note: str = ""


@dataclass(frozen=True)
class DealDetail:
    """Everything about one deal: the card plus its checklist, notes and history."""

    summary: DealSummary
    checklist: tuple[ChecklistItem, ...]
    research: ResearchRecord
    objections: tuple[ObjectionRecord, ...]
    activities: tuple[ActivityRecord, ...]
    history: tuple[TransitionRecord, ...]
    audit: tuple[AuditRecord, ...] = field(default=())
    #: All four BANT answers, in B-A-N-T order (unknown ones included).
    bant: tuple[BantRecord, ...] = field(default=())
    #: Where the deal came from (repeat business, a referral); None for a first deal.
    lineage: DealLineage | None = None


@dataclass(frozen=True)
class MoveResult:
    """What a move did: from where to where, and whether the gate was overridden."""

    deal_id: int
    from_stage: str
    to_stage: str
    moved: bool
    overridden: bool = False
    skipped: tuple[str, ...] = ()


@dataclass(frozen=True)
class DealLineage:
    """A repeat deal's origin: the deal it was started from, and who referred the customer."""

    origin_deal_id: int | None
    origin_kind: DealOrigin | None
    #: The origin deal's title and account ("" once that deal is gone).
    origin_title: str = ""
    origin_account: str = ""
    #: The referring customer's name ("" unless a referral).
    referred_by: str = ""
