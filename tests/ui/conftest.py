"""Driving the real board app with Pilot, on a real database filled with the demo team."""

from __future__ import annotations

import pytest

from dealboard.domain.board import Board
from dealboard.domain.demo import seed_demo


@pytest.fixture
def demo_board(board: Board) -> Board:
    """The board with the ~40 demo deals, opened by maria (a manager)."""
    seed_demo(board, "seven-step")
    return board
