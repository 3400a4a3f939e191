"""The demo board: believable, complete, and only ever poured into an empty board."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from dealboard.db.models import StageCriterion
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.demo import seed_demo
from dealboard.domain.errors import RuleViolation
from dealboard.vocabulary import BantItem, BantState, ObjectionStatus, StageKind


def test_demo_fills_every_stage_with_history(board: Board) -> None:
    added = seed_demo(board, "seven-step")
    deals = board.list_deals(include_closed=True)
    assert added == len(deals) >= 35
    stages = Counter(d.stage for d in deals)
    for stage in board.pipeline().stages:
        assert stages[stage.name] >= 2, stage.name
    kinds = Counter(d.stage_kind for d in deals)
    assert kinds[StageKind.WON] >= 3 and kinds[StageKind.LOST] >= 3
    assert all(d.loss_reason is not None for d in deals if d.stage_kind is StageKind.LOST)
    assert len({d.owner for d in deals}) >= 4
    assert any(d.open_objections for d in deals)
    assert len({d.currency for d in deals}) >= 2
    detail = board.deal(next(d.id for d in deals if d.open_objections))
    assert detail.objections and detail.history and detail.activities
    assert detail.research.stakeholders


def test_demo_maps_onto_any_pipeline(board: Board) -> None:
    board.add_template("milestones")
    seed_demo(board, "milestones")
    stages = {d.stage for d in board.list_deals(pipeline="milestones", include_closed=True)}
    assert {"Engage", "Close", "Won", "Lost"} <= stages


def test_demo_refuses_a_board_that_has_deals(board: Board) -> None:
    board.add_deal(DealFields(title="Real deal"))
    with pytest.raises(RuleViolation, match="already has 1 deals"):
        seed_demo(board, "seven-step")
    assert [d.title for d in board.list_deals()] == ["Real deal"]


def test_demo_bant_answers_agree_with_the_qualify_ticks(board: Board) -> None:
    seed_demo(board, "seven-step")
    tied = {
        "Budget confirmed": BantItem.BUDGET,
        "Decision maker identified": BantItem.AUTHORITY,
        "Need stated": BantItem.NEED,
        "Timing known": BantItem.TIMING,
    }
    answered = 0
    for summary in board.list_deals(include_closed=True):
        detail = board.deal(summary.id)
        yes = {b.item for b in detail.bant if b.state is BantState.YES}
        ticked = {tied[c.text] for c in detail.checklist if c.text in tied and c.checked}
        assert yes == ticked, summary.title
        answered += bool(yes)
    assert answered >= 10


def test_demo_ticks_follow_the_research_and_the_objections(board: Board) -> None:
    """A freshly seeded demo deal shows the ticks its data earns, before anyone edits it."""
    seed_demo(board, "seven-step")
    with board.database.read() as session:
        ties = dict(
            session.execute(
                select(StageCriterion.id, StageCriterion.tie).where(StageCriterion.tie.is_not(None))
            ).all()
        )
    assert any(t.startswith("research:") for t in ties.values())
    assert "objections:resolved" in ties.values()
    seen = Counter[str]()
    for summary in board.list_deals(include_closed=True):
        detail = board.deal(summary.id)
        research = detail.research
        earned = {
            "objections:resolved": all(
                o.status is ObjectionStatus.RESOLVED for o in detail.objections
            ),
            "research:stakeholders": bool(research.stakeholders),
        }
        for item in detail.checklist:
            tie = ties.get(item.criterion_id)
            if tie is None:
                continue
            field = tie.partition(":")[2]
            met = earned[tie] if tie in earned else bool(getattr(research, field).strip())
            assert item.checked == met, (summary.title, item.text)
            seen[f"{tie}={met}"] += 1
    assert seen["objections:resolved=False"] and seen["objections:resolved=True"]
    assert seen["research:buying_process=True"] and seen["research:buying_process=False"]
