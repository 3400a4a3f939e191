"""Asking the gate before moving, so a front end can show the checklist first.

Read-only: the answer is advice for the screen. The move itself asks the gate
again inside its own transaction, so a stale preview can never let a deal through.
"""

from __future__ import annotations

from dealboard.domain.board import Board
from dealboard.domain.gate import GateCheck
from dealboard.domain.lookup import find_stage, load_deal, parse_deal_id
from dealboard.domain.moves import gate_check


def preview_move(board: Board, deal_id: int | str, stage_name: str) -> GateCheck:
    """What the gate would say about moving the deal to `stage_name` now."""
    with board.database.read() as session:
        deal = load_deal(session, parse_deal_id(deal_id))
        return gate_check(session, deal, find_stage(deal.pipeline, stage_name))
