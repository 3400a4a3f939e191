"""The schema: every table dealboard keeps, as typed SQLAlchemy 2 models.

Changing anything here needs an Alembic migration; a test compares the two.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from dealboard.db.base import Base, UtcDateTime, utcnow, vocabulary
from dealboard.vocabulary import (
    ActivityKind,
    BantItem,
    BantState,
    ChangeKind,
    ContactType,
    DealOrigin,
    Influence,
    LossReason,
    ObjectionCategory,
    ObjectionStatus,
    Role,
    StageKind,
    Stance,
    TemplateKind,
)


class User(Base):
    """Someone who owns deals and whose changes are recorded."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(vocabulary(Role, "user_role"), default=Role.REP)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Pipeline(Base):
    """An ordered set of stages a team sells through."""

    __tablename__ = "pipelines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: Speed to lead: a new deal's first touch is due within this many minutes.
    speed_to_lead_minutes: Mapped[int | None] = mapped_column(Integer)
    #: The default cadence of open stages: this many attempts within `follow_up_days`.
    follow_up_attempts: Mapped[int | None] = mapped_column(Integer)
    follow_up_days: Mapped[int | None] = mapped_column(Integer)
    #: A customer of this pipeline with no touch for longer than this is due for nurturing.
    nurture_days: Mapped[int | None] = mapped_column(Integer)

    stages: Mapped[list[Stage]] = relationship(
        back_populates="pipeline", order_by="Stage.position", cascade="all, delete-orphan"
    )


class Stage(Base):
    """One column of a pipeline: open (work in progress), won or lost."""

    __tablename__ = "stages"
    __table_args__ = (
        UniqueConstraint("pipeline_id", "name"),
        CheckConstraint("probability BETWEEN 0 AND 100", name="probability_percent"),
        Index("ix_stages_pipeline_position", "pipeline_id", "position"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pipeline_id: Mapped[int] = mapped_column(ForeignKey("pipelines.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(40))
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[StageKind] = mapped_column(vocabulary(StageKind, "stage_kind"))
    probability: Mapped[int] = mapped_column(Integer, default=0)
    rot_days: Mapped[int | None] = mapped_column(Integer)
    #: What the stage is for, in a sentence or two: the playbook shows it.
    purpose: Mapped[str] = mapped_column(Text, default="")
    #: The stage's cadence (overrides the pipeline's follow-up rule): attempts within days.
    cadence_attempts: Mapped[int | None] = mapped_column(Integer)
    cadence_days: Mapped[int | None] = mapped_column(Integer)
    #: Work-in-progress limit: at most this many open deals in the stage (None: no limit).
    wip_max: Mapped[int | None] = mapped_column(Integer)
    #: A hard limit refuses a move into a full stage (a manager may override with a
    #: reason); a soft one only turns the column's header into a warning.
    wip_hard: Mapped[bool] = mapped_column(Boolean, default=False)

    pipeline: Mapped[Pipeline] = relationship(back_populates="stages")
    criteria: Mapped[list[StageCriterion]] = relationship(
        back_populates="stage", order_by="StageCriterion.position", cascade="all, delete-orphan"
    )
    templates: Mapped[list[StageTemplate]] = relationship(
        back_populates="stage", order_by="StageTemplate.position", cascade="all, delete-orphan"
    )


class StageCriterion(Base):
    """One exit criterion of a stage: the checklist template a deal must complete."""

    __tablename__ = "stage_criteria"
    __table_args__ = (Index("ix_stage_criteria_stage_position", "stage_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(200))
    #: Met by the deal's BANT answer being `yes`, not by a tick.
    bant_item: Mapped[BantItem | None] = mapped_column(vocabulary(BantItem, "bant_item"))
    #: Met by the deal's data, not by a tick: `research:<field>` or `objections:resolved`.
    tie: Mapped[str | None] = mapped_column(String(40))

    stage: Mapped[Stage] = relationship(back_populates="criteria")


class StageTemplate(Base):
    """A call script or an email for a stage, with `{placeholders}` filled from the deal."""

    __tablename__ = "stage_templates"
    __table_args__ = (Index("ix_stage_templates_stage_position", "stage_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[TemplateKind] = mapped_column(vocabulary(TemplateKind, "template_kind"))
    subject: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text, default="")

    stage: Mapped[Stage] = relationship(back_populates="templates")


class Account(Base):
    """A customer organisation: every deal with it, across pipelines, belongs to one record."""

    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    #: The name folded (case and spacing) so "ACME  corp" and "Acme Corp" are one account.
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Contact(Base):
    """A person at an account the team sells to; their type follows what they bought."""

    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("account_id", "name_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    #: Indexed on its own too: an import looks contacts up by name across accounts.
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    contact_type: Mapped[ContactType] = mapped_column(
        vocabulary(ContactType, "contact_type"), default=ContactType.SUSPECT
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Deal(Base):
    """One opportunity: a card on the board."""

    __tablename__ = "deals"
    __table_args__ = (
        Index("ix_deals_board", "pipeline_id", "stage_id", "position", "id"),
        Index("ix_deals_column_sums", "pipeline_id", "stage_id", "currency", "value_minor"),
        Index("ix_deals_owner", "owner_id", "stage_id"),
        Index("ix_deals_closed_at", "closed_at"),
        Index("ix_deals_created_at", "created_at"),
        Index("ix_deals_account", "account_id", "stage_id"),
        CheckConstraint("value_minor >= 0", name="value_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pipeline_id: Mapped[int] = mapped_column(ForeignKey("pipelines.id"))
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"))
    title: Mapped[str] = mapped_column(String(200))
    #: The account's name as the card shows it; always `accounts.name` of `account_id`
    #: (the domain's `accounts` module writes both), "" when the deal has no account.
    account: Mapped[str] = mapped_column(String(200), default="")
    contact: Mapped[str] = mapped_column(String(200), default="")
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    #: The won (or follow-up) deal this one was started from: the customer's deal lineage.
    origin_deal_id: Mapped[int | None] = mapped_column(
        ForeignKey("deals.id", ondelete="SET NULL"), index=True
    )
    origin_kind: Mapped[DealOrigin | None] = mapped_column(vocabulary(DealOrigin, "deal_origin"))
    #: The customer who referred this one (a referral's origin deal is theirs).
    referred_by_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("accounts.id"), index=True
    )
    value_minor: Mapped[int] = mapped_column(BigInteger, default=0)
    currency: Mapped[str] = mapped_column(String(3))
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    contact_type: Mapped[ContactType] = mapped_column(
        vocabulary(ContactType, "contact_type"), default=ContactType.SUSPECT
    )
    source: Mapped[str] = mapped_column(String(200), default="")
    expected_close: Mapped[date | None] = mapped_column(Date)
    next_step: Mapped[str] = mapped_column(String(200), default="")
    next_step_due: Mapped[date | None] = mapped_column(Date)
    position: Mapped[int] = mapped_column(Integer, default=0)
    stage_entered_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    #: Set by `dealboard import`: the deal was a lead elsewhere, so speed to lead
    #: does not judge it and its follow-up and quiet clocks start here.
    imported_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    loss_reason: Mapped[LossReason | None] = mapped_column(vocabulary(LossReason, "loss_reason"))
    loss_note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it once

    stage: Mapped[Stage] = relationship()
    pipeline: Mapped[Pipeline] = relationship()
    owner: Mapped[User] = relationship()
    tags: Mapped[list[DealTag]] = relationship(
        cascade="all, delete-orphan", order_by="DealTag.tag", passive_deletes=True
    )


class DealTag(Base):
    """A free label on a deal, for filtering (`#tag`) and reports."""

    __tablename__ = "deal_tags"
    __table_args__ = (Index("ix_deal_tags_tag", "tag"),)

    deal_id: Mapped[int] = mapped_column(
        ForeignKey("deals.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(40), primary_key=True)


class BantAnswer(Base):
    """One of a deal's four qualification answers (Budget, Authority, Need, Timing)."""

    __tablename__ = "bant_answers"

    deal_id: Mapped[int] = mapped_column(
        ForeignKey("deals.id", ondelete="CASCADE"), primary_key=True
    )
    item: Mapped[BantItem] = mapped_column(vocabulary(BantItem, "bant_item"), primary_key=True)
    state: Mapped[BantState] = mapped_column(
        vocabulary(BantState, "bant_state"), default=BantState.UNKNOWN
    )
    note: Mapped[str] = mapped_column(Text, default="")


class ChecklistTick(Base):
    """A deal's tick on one exit criterion: who did the work, and when."""

    __tablename__ = "checklist_ticks"
    __table_args__ = (UniqueConstraint("deal_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("stage_criteria.id", ondelete="CASCADE"), index=True
    )
    checked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    checked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)

    checked_by: Mapped[User] = relationship()


class ResearchNotes(Base):
    """What the Research stage learns about the buyer; one record per deal."""

    __tablename__ = "research_notes"

    deal_id: Mapped[int] = mapped_column(
        ForeignKey("deals.id", ondelete="CASCADE"), primary_key=True
    )
    interests: Mapped[str] = mapped_column(Text, default="")
    buying_process: Mapped[str] = mapped_column(Text, default="")
    key_objectives: Mapped[str] = mapped_column(Text, default="")
    decision_timing: Mapped[str] = mapped_column(Text, default="")
    pain_points: Mapped[str] = mapped_column(Text, default="")
    free_text: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it once


class Stakeholder(Base):
    """A person on the buyer's side who shapes the decision."""

    __tablename__ = "stakeholders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    influence: Mapped[Influence] = mapped_column(
        vocabulary(Influence, "influence"), default=Influence.MEDIUM
    )
    stance: Mapped[Stance] = mapped_column(vocabulary(Stance, "stance"), default=Stance.NEUTRAL)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it once


class Objection(Base):
    """A buyer's concern, expressed or hidden, and how it was answered."""

    __tablename__ = "objections"
    __table_args__ = (Index("ix_objections_deal_status", "deal_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    category: Mapped[ObjectionCategory] = mapped_column(
        vocabulary(ObjectionCategory, "objection_category")
    )
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    text: Mapped[str] = mapped_column(Text)
    response: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[ObjectionStatus] = mapped_column(
        vocabulary(ObjectionStatus, "objection_status"), default=ObjectionStatus.OPEN
    )
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it once


class Activity(Base):
    """A touch with the buyer (call, email, meeting, social) or a note; scheduled or done."""

    __tablename__ = "activities"
    __table_args__ = (
        Index("ix_activities_deal_due", "deal_id", "due_at"),
        Index("ix_activities_user_done", "user_id", "done_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[ActivityKind] = mapped_column(vocabulary(ActivityKind, "activity_kind"))
    subject: Mapped[str] = mapped_column(String(200))
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    outcome: Mapped[str] = mapped_column(Text, default="")
    #: The buyer answered (a reply, a call picked up): ends a cadence's run of attempts.
    reached: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class StageTransition(Base):
    """A deal entering a stage: the raw material of velocity and stall reports."""

    __tablename__ = "stage_transitions"
    __table_args__ = (
        Index("ix_stage_transitions_deal_at", "deal_id", "at"),
        Index("ix_stage_transitions_to_at", "to_stage_id", "at"),
        # Time-in-stage percentiles walk it in order (measured stays only: imported is false);
        # with deal_id it covers owner/tag filters.
        Index(
            "ix_stage_transitions_from_stay",
            "from_stage_id",
            "imported",
            "stay_seconds",
            "at",
            "deal_id",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    deal_id: Mapped[int] = mapped_column(ForeignKey("deals.id", ondelete="CASCADE"))
    from_stage_id: Mapped[int | None] = mapped_column(ForeignKey("stages.id"))
    to_stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    override_reason: Mapped[str | None] = mapped_column(Text)
    #: How long the deal had been in `from_stage` when it left (whole seconds), written
    #: with the move; None on creation. Every writer of a move must fill it.
    stay_seconds: Mapped[int | None] = mapped_column(Integer)
    #: The stay this row ends was not measured on this board: an import wrote the row from
    #: another system's record (or made it up), or the row ends a stay that began at an
    #: import which did not say when the deal entered its stage. Reports leave such stays
    #: out of their measured figures and say how many they left out.
    imported: Mapped[bool] = mapped_column(Boolean, default=False)


class Change(Base):
    """One user action (a move, an edit, a tick…): the audit rows it wrote belong to it.

    Undo works on changes, not rows: undoing reverts every row of one change
    as a new change that names the one it reverts.
    """

    __tablename__ = "changes"
    __table_args__ = (
        Index("ix_changes_user_id", "user_id", "id"),
        Index("ix_changes_deal_id", "deal_id", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: The manager who made the change for `user_id` (`--as`: "maria as sam"); else NULL.
    via_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    deal_id: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[ChangeKind] = mapped_column(
        vocabulary(ChangeKind, "change_kind"), default=ChangeKind.DO
    )
    reverts_id: Mapped[int | None] = mapped_column(ForeignKey("changes.id"), index=True)


class AuditEntry(Base):
    """One changed field: who changed what, when, from which value to which."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_entity", "entity", "entity_id", "at"),
        Index("ix_audit_log_at", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(16))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int] = mapped_column(Integer)
    deal_id: Mapped[int | None] = mapped_column(Integer, index=True)
    field: Mapped[str] = mapped_column(String(200), default="")
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    change_id: Mapped[int | None] = mapped_column(ForeignKey("changes.id"), index=True)


class PipelineRevision(Base):
    """One import of a changed pipeline file: what changed, who changed it and when.

    The change report compares deals before and after `at` in the stages it touched.
    """

    __tablename__ = "pipeline_revisions"
    __table_args__ = (UniqueConstraint("pipeline_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pipeline_id: Mapped[int] = mapped_column(ForeignKey("pipelines.id", ondelete="CASCADE"))
    #: 1, 2, 3… per pipeline: what `report change --revision N` names.
    number: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    #: What changed, as JSON: a list of {"stage_id", "stage", "what", "before", "after"}.
    changes: Mapped[str] = mapped_column(Text, default="[]")


class Goal(Base):
    """A month's won-value goal for one owner, or for the team when `user_id` is NULL."""

    __tablename__ = "goals"
    __table_args__ = (
        Index("ix_goals_month_user", "month", "user_id"),
        CheckConstraint("amount_minor >= 0", name="goal_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    #: The calendar month, `YYYY-MM`.
    month: Mapped[str] = mapped_column(String(7))
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(String(3))
    set_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    set_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class SavedView(Base):
    """A board filter a user named, to open again from the palette or a key."""

    __tablename__ = "saved_views"
    __table_args__ = (UniqueConstraint("user_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(60))
    #: The filter as typed after `/` (`owner:sam #enterprise`).
    query: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
