"""Small helpers shared by tests: counting rows to prove nothing was written."""

from __future__ import annotations

from sqlalchemy import func, select

from dealboard.db.models import AuditEntry, ChecklistTick, Deal, StageTransition
from dealboard.domain.board import Board


def row_counts(board: Board) -> dict[str, int]:
    """How many deals, ticks, transitions and audit rows the board holds."""
    with board.database.read() as session:
        return {
            model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
            for model in (Deal, ChecklistTick, StageTransition, AuditEntry)
        }


def tick_all(board: Board, deal_id: int, stage: str) -> None:
    """Tick every exit criterion of `stage` for the deal."""
    pipeline = board.pipeline()
    criteria = next(s for s in pipeline.stages if s.name == stage).criteria
    for number in range(1, len(criteria) + 1):
        board.set_check(deal_id, str(number), stage=stage)
