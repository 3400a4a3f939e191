"""`u` and `U` on any screen that shows deals: undo or redo the user's own last change."""

from __future__ import annotations

from collections.abc import Callable

from textual.screen import Screen

from dealboard.domain.errors import DealboardError
from dealboard.domain.undo import UndoResult
from dealboard.ui.deal.common import board_of
from dealboard.ui.text import notify_plain
from dealboard.ui.worker import in_background


def undo_or_redo(screen: Screen[object], *, redo: bool, then: Callable[[], None]) -> None:
    """Ask the domain in the background; say what was put back, or plainly why not.

    `then` runs after a change was put back: the screen reads what changed.
    """
    board = board_of(screen)
    call = board.redo if redo else board.undo

    def done(result: UndoResult) -> None:
        text = result.description
        notify_plain(screen, text[:1].upper() + text[1:], title="Redone" if redo else "Undone")
        then()

    def refused(error: DealboardError) -> None:
        notify_plain(
            screen,
            str(error),
            title="Not redone" if redo else "Not undone",
            severity="warning",
            timeout=10,
        )

    in_background(screen, call, done, refused=refused)
