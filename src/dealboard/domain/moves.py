"""Moving deals through the pipeline: the gate, ticking criteria, winning, losing, reopening.

Each function runs inside the caller's write transaction and raises before
writing anything when a rule refuses, so a refused move leaves no trace.
"""

from __future__ import annotations

from datetime import datetime
from typing import NoReturn

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealboard.db.models import ChecklistTick, Deal, Stage, StageCriterion, StageTransition, User
from dealboard.domain import accounts, audit, bant, ties
from dealboard.domain.deals import next_position, require_open
from dealboard.domain.errors import GateClosed, InvalidInput, RuleViolation
from dealboard.domain.gate import GateCheck, check_move
from dealboard.domain.import_stays import began_at_import
from dealboard.domain.lookup import (
    find_criterion,
    find_stage,
    gate_stages,
    ticked_criteria,
)
from dealboard.domain.permissions import deal_to_change
from dealboard.domain.records import ChecklistItem, MoveResult
from dealboard.domain.text import clean_line, clean_text
from dealboard.domain.users import require_manager
from dealboard.domain.wip import stage_load
from dealboard.vocabulary import CHOOSABLE_LOSS_REASONS, LossReason, StageKind


def set_check(
    session: Session,
    actor: User,
    deal_id: int,
    item: str,
    *,
    stage_name: str | None,
    checked: bool,
    now: datetime,
) -> ChecklistItem:
    """Tick or untick one exit criterion of the deal's current stage (or another open stage)."""
    deal = deal_to_change(session, actor, deal_id, "tick the checklist of")
    require_open(deal, "change its checklist")
    stage = find_stage(deal.pipeline, stage_name) if stage_name else deal.stage
    if stage.kind is not StageKind.OPEN:
        raise InvalidInput("stage", stage.name, "only open stages have exit criteria")
    criterion = find_criterion(stage, item)
    ties.refuse_hand_tick(session, deal.id, criterion, checked)
    if ties.follow_data(session, actor, deal.id, criterion, checked, now):
        bant.answer_from_tick(session, actor, deal, criterion, checked, now)
        session.flush()
    tick = session.scalar(
        select(ChecklistTick).where(
            ChecklistTick.deal_id == deal.id, ChecklistTick.criterion_id == criterion.id
        )
    )
    return _item(session, stage, criterion, tick)


def _item(
    session: Session, stage: Stage, criterion: StageCriterion, tick: ChecklistTick | None
) -> ChecklistItem:
    by = session.get(User, tick.checked_by_id) if tick is not None else None
    return ChecklistItem(
        criterion.id,
        stage.name,
        stage.position,
        criterion.position,
        criterion.text,
        tick is not None,
        by.name if by else None,
        tick.checked_at if tick else None,
    )


def gate_check(session: Session, deal: Deal, target: Stage, *, lock: bool = False) -> GateCheck:
    """What the gate says about moving `deal` to `target` right now.

    `lock` (a move about to happen) holds a hard-limited target's row while its
    deals are counted, so two moves cannot both take its last free slot.
    """
    stages = gate_stages(deal.pipeline.stages, ticked_criteria(session, deal.id))
    by_id = {s.id: s for s in stages}
    load = stage_load(session, target, lock=lock) if target.id != deal.stage_id else None
    return check_move(stages, by_id[deal.stage_id], by_id[target.id], load)


def move_deal(
    session: Session,
    actor: User,
    deal_id: int,
    stage_name: str,
    *,
    override: str | None,
    now: datetime,
) -> MoveResult:
    """Move to another stage through the gate; a closed deal moved to an open stage is reopened."""
    deal = deal_to_change(session, actor, deal_id, "move")
    target = find_stage(deal.pipeline, stage_name)
    if target.kind is StageKind.LOST:
        raise RuleViolation(
            f"closing deal {deal.id} as lost needs a reason: "
            f"use `dealboard lose {deal.id} --reason "
            f"{'|'.join(CHOOSABLE_LOSS_REASONS)}`"
        )
    if target.id == deal.stage_id:
        return MoveResult(deal.id, deal.stage.name, target.name, moved=False)
    return _enter(session, actor, deal, target, override=override, now=now)


def win_deal(
    session: Session, actor: User, deal_id: int, *, override: str | None, now: datetime
) -> MoveResult:
    """Close as won: every open stage's exit criteria must be done (or a manager overrides)."""
    deal = deal_to_change(session, actor, deal_id, "win")
    require_open(deal, "win it")
    won = next(s for s in deal.pipeline.stages if s.kind is StageKind.WON)
    return _enter(session, actor, deal, won, override=override, now=now)


def lose_deal(
    session: Session,
    actor: User,
    deal_id: int,
    reason: str,
    note: str,
    *,
    now: datetime,
    allow_unknown: bool = False,
) -> MoveResult:
    """Close as lost from any open stage; needs a reason category, a note is optional."""
    loss_reason = parse_loss_reason(reason, allow_unknown=allow_unknown)
    loss_note = clean_text("note", note or "", max_length=2000)
    deal = deal_to_change(session, actor, deal_id, "lose")
    require_open(deal, "lose it")
    lost = next(s for s in deal.pipeline.stages if s.kind is StageKind.LOST)
    result = _enter(session, actor, deal, lost, override=None, now=now)
    audit.record(
        session,
        actor,
        action="update",
        entity="deal",
        entity_id=deal.id,
        deal_id=deal.id,
        at=now,
        changes={
            "loss_reason": (deal.loss_reason, loss_reason),
            "loss_note": (deal.loss_note, loss_note),
        },
    )
    deal.loss_reason, deal.loss_note = loss_reason, loss_note
    return result


def reopen_deal(
    session: Session,
    actor: User,
    deal_id: int,
    stage_name: str | None,
    *,
    now: datetime,
    override: str | None = None,
) -> MoveResult:
    """Bring a closed deal back into an open stage (by default the one it was closed from).

    A stage full under a hard WIP limit refuses it, unless a manager overrides.
    """
    deal = deal_to_change(session, actor, deal_id, "reopen")
    if deal.stage.kind is StageKind.OPEN:
        raise RuleViolation(f"deal {deal.id} is open already (in {deal.stage.name})")
    if stage_name is not None:
        target = find_stage(deal.pipeline, stage_name)
    else:
        target = _stage_before_closing(session, deal)
    if target.kind is not StageKind.OPEN:
        raise InvalidInput("stage", target.name, "reopen into an open stage")
    return _enter(session, actor, deal, target, override=override, now=now)


def stay_seconds(entered: datetime, left: datetime) -> int:
    """How long a deal stayed in a stage, in whole seconds (never negative): kept on its move."""
    return max(0, round((left - entered).total_seconds()))


def parse_loss_reason(text: str, *, allow_unknown: bool = False) -> LossReason:
    """One of the loss categories; `unknown` only for imported history."""
    choices = list(CHOOSABLE_LOSS_REASONS) + ([LossReason.UNKNOWN] if allow_unknown else [])
    wanted = (text or "").strip().lower().replace("_", "-").replace(" ", "-")
    for reason in choices:
        if reason.value == wanted:
            return reason
    raise InvalidInput("reason", text, "use one of " + ", ".join(r.value for r in choices))


def _stage_before_closing(session: Session, deal: Deal) -> Stage:
    last_open = session.scalar(
        select(StageTransition.from_stage_id)
        .join(Stage, Stage.id == StageTransition.from_stage_id)
        .where(
            StageTransition.deal_id == deal.id,
            StageTransition.to_stage_id == deal.stage_id,
            Stage.kind == StageKind.OPEN,
        )
        .order_by(StageTransition.at.desc(), StageTransition.id.desc())
        .limit(1)
    )
    stages = {s.id: s for s in deal.pipeline.stages}
    if last_open in stages:
        return stages[last_open]
    return next(s for s in deal.pipeline.stages if s.kind is StageKind.OPEN)


def _refuse(deal: Deal, target: Stage, check: GateCheck) -> NoReturn:
    """The gate's no, in one line: a full stage first, then the open exit criteria."""
    skipped = [s.name for s in check.skipped]
    message = f"deal {deal.id} cannot move from {deal.stage.name} to {target.name}"
    if skipped:
        message += f" (it would skip {', '.join(skipped)})"
    if check.full is not None:
        message += f": {check.full.reason}"
    if check.blocking:
        raise GateClosed(message + "; open exit criteria", check.unmet())
    raise GateClosed(message)


def _enter(
    session: Session, actor: User, deal: Deal, target: Stage, *, override: str | None, now: datetime
) -> MoveResult:
    """The one way a deal changes stage: gate, override, transition, audit."""
    check = gate_check(session, deal, target, lock=True)
    reason = (
        None
        if override is None
        else clean_line("override", override, max_length=500, required=True)
    )
    overridden = not check.allowed
    if overridden and reason is None:
        _refuse(deal, target, check)
    if overridden:
        require_manager(actor, "override the gate")
    source = deal.stage
    session.add(
        StageTransition(
            deal_id=deal.id,
            from_stage_id=source.id,
            to_stage_id=target.id,
            user_id=actor.id,
            at=now,
            override_reason=reason if overridden else None,
            stay_seconds=stay_seconds(deal.stage_entered_at, now),
            imported=began_at_import(deal.imported_at, deal.stage_entered_at),
        )
    )
    # Where the card sat and since when: undo puts both back exactly (see undo._Reverter).
    changes: dict[str, tuple[object, object]] = {"stage": (source.name, target.name)}
    position = next_position(session, target.id)
    changes["position"] = (deal.position, position)
    changes["stage_entered_at"] = (deal.stage_entered_at, now)
    closing = target.kind is not StageKind.OPEN
    if closing != (deal.closed_at is not None):
        changes["closed_at"] = (deal.closed_at, now if closing else None)
        deal.closed_at = now if closing else None
    if not closing and deal.loss_reason is not None:
        changes["loss_reason"] = (deal.loss_reason, None)
        deal.loss_reason, deal.loss_note = None, ""
    if overridden:
        changes["gate override"] = (None, reason)
    if target.kind is StageKind.WON:  # the contact is a Customer now (undo puts it back)
        changes.update(accounts.won(session, actor, deal, now))
    deal.stage_id = target.id
    deal.stage = target
    deal.position = position
    deal.stage_entered_at = now
    deal.updated_at = now
    audit.record(
        session,
        actor,
        action="move",
        entity="deal",
        entity_id=deal.id,
        deal_id=deal.id,
        at=now,
        changes=changes,
    )
    session.flush()
    return MoveResult(
        deal.id,
        source.name,
        target.name,
        moved=True,
        overridden=overridden,
        skipped=tuple(s.name for s in check.skipped),
    )
