"""What the board says when a stage's cadence has run out without a reply.

The seeds' rule: a lead gets a set number of attempts, and when none of them
reached the buyer the deal is closed as lost with the reason "no decision"
rather than left to rot. The board suggests it; closing stays the rep's call.
"""

from __future__ import annotations

from dealboard.domain.badges import cadence_exhausted
from dealboard.domain.records import DealSummary, StageRecord
from dealboard.vocabulary import LossReason

#: The loss reason suggested when the attempts ran out.
SUGGESTED_REASON = LossReason.NO_DECISION


def no_reply_advice(deal: DealSummary, stage: StageRecord) -> str | None:
    """One line suggesting to close as lost, or None while attempts remain (or one landed)."""
    if not cadence_exhausted(deal, stage):
        return None
    return (
        f"{deal.touches_in_stage}/{stage.cadence_attempts} attempts in {stage.name} "
        "and no reply: consider closing it as lost, no decision"
    )


def suggested_loss_reason(deal: DealSummary, stage: StageRecord) -> LossReason | None:
    """The reason to preselect when this deal is closed as lost."""
    return SUGGESTED_REASON if cadence_exhausted(deal, stage) else None
