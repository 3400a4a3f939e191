"""`u` and `U` on any screen that shows deals: undo or redo the user's own last change."""

from __future__ import annotations

from textual.screen import Screen

from dealboard.domain.errors import DealboardError
from dealboard.domain.undo import UndoResult
from dealboard.ui.worker import in_background


def undo_or_redo(screen: Screen[object], *, redo: bool) -> None:
    """Ask the domain in the background; say what was put back, or plainly why not."""
    board = screen.app.board  # type: ignore[attr-defined]
    call = board.redo if redo else board.undo

    def done(result: UndoResult) -> None:
        text = result.description
        screen.notify(
            text[:1].upper() + text[1:], title="Redone" if redo else "Undone", markup=False
        )
        reload = getattr(screen, "reload", None)
        if reload is not None:
            reload()

    def refused(error: DealboardError) -> None:
        screen.notify(
            str(error),
            title="Not redone" if redo else "Not undone",
            severity="warning",
            markup=False,
            timeout=10,
        )

    in_background(screen, call, done, refused=refused)
