"""Small things every part of the deal screen needs: the board, and times shown alike."""

from __future__ import annotations

from datetime import date, datetime

from textual.dom import DOMNode

from dealboard.domain.board import Board
from dealboard.domain.times import local_minute


def board_of(node: DOMNode) -> Board:
    """The app's board (the domain facade); its methods are only ever called inside workers."""
    return node.app.board  # type: ignore[attr-defined]


def when(value: datetime | None) -> str:
    """A recorded instant in the user's local time, to the minute (as the CLI shows it)."""
    return local_minute(value) if value else ""


def day(value: date | None) -> str:
    """An ISO date, or nothing."""
    return value.isoformat() if value else ""
