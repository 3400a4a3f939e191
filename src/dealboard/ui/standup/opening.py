"""`S` on the board: stand-up mode for the board's pipeline, with the session's window, target."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dealboard.ui.board.screen import BoardScreen


def open_standup(screen: BoardScreen) -> None:
    """Push the stand-up screen over the board (which keeps refreshing underneath)."""
    from dealboard.ui.standup.screen import StandupScreen

    pipeline = screen.pipeline_name
    app = screen.app
    since, target = getattr(app, "standup_since", None), getattr(app, "standup_target", None)
    app.push_screen(StandupScreen(pipeline, since, target))
