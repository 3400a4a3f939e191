"""The closed vocabularies of the sales process (PRODUCT.md), shared by the schema and the rules.

Kept apart from both `dealboard.db` and `dealboard.domain` so the schema can
constrain its columns to these values without the database layer depending
on the rules.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """What a user may do: only a manager may override the gate."""

    REP = "rep"
    MANAGER = "manager"


class StageKind(StrEnum):
    """Open stages hold work in progress; a deal in a won or lost stage is closed."""

    OPEN = "open"
    WON = "won"
    LOST = "lost"


class ContactType(StrEnum):
    """How far the primary contact has come, from a bare name to a paying customer."""

    SUSPECT = "Suspect"
    PROSPECT = "Prospect"
    LEAD = "Lead"
    CUSTOMER = "Customer"


class LossReason(StrEnum):
    """Why a deal was lost; tallied in reports. `unknown` is only for imported history."""

    COMPETITOR = "competitor"
    NO_DECISION = "no-decision"
    PRICE = "price"
    TIMING = "timing"
    NO_FIT = "no-fit"
    OTHER = "other"
    UNKNOWN = "unknown"


#: The loss reasons a person may choose when closing a deal as lost.
CHOOSABLE_LOSS_REASONS: tuple[LossReason, ...] = tuple(
    r for r in LossReason if r is not LossReason.UNKNOWN
)


class ObjectionCategory(StrEnum):
    """The kinds of concern a buyer raises (the seeds' list)."""

    PRODUCT = "product"
    COST = "cost"
    TIMING = "timing"
    PERSONAL = "personal"
    COMPETITION = "competition"
    OTHER = "other"


class ObjectionStatus(StrEnum):
    """An objection is open until answered, and counts against the deal until resolved."""

    OPEN = "open"
    ANSWERED = "answered"
    RESOLVED = "resolved"


class ActivityKind(StrEnum):
    """A touch with the buyer, or a note to self."""

    CALL = "call"
    EMAIL = "email"
    MEETING = "meeting"
    SOCIAL = "social"
    NOTE = "note"


class Influence(StrEnum):
    """How much a stakeholder's word weighs in the decision."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Stance(StrEnum):
    """Where a stakeholder stands towards the deal."""

    CHAMPION = "champion"
    SUPPORTER = "supporter"
    NEUTRAL = "neutral"
    SKEPTIC = "skeptic"
    BLOCKER = "blocker"


class ChangeKind(StrEnum):
    """What a recorded change was: a change of its own, or the undoing/redoing of one."""

    DO = "do"
    UNDO = "undo"
    REDO = "redo"


class BantItem(StrEnum):
    """The four qualification questions: Budget, Authority, Need, Timing."""

    BUDGET = "budget"
    AUTHORITY = "authority"
    NEED = "need"
    TIMING = "timing"


class BantState(StrEnum):
    """How far a BANT question is answered; only `yes` satisfies a criterion that needs it."""

    UNKNOWN = "unknown"
    NO = "no"
    PARTIAL = "partial"
    YES = "yes"


class TemplateKind(StrEnum):
    """A stage template is something to say (a call script) or to send (an email)."""

    SCRIPT = "script"
    EMAIL = "email"


class DealOrigin(StrEnum):
    """Why a deal for an existing customer was started: the kind of repeat business it is."""

    UPSELL = "upsell"
    CROSS_SELL = "cross-sell"
    RENEWAL = "renewal"
    REFERRAL = "referral"
