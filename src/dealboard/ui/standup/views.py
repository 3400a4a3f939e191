"""`m` and `c` in stand-up mode: walk the board through "mine" or "changed since the last
stand-up" (`dealboard.domain.saved_views`).

The stand-up on the projector says what changed; the room then wants the cards
themselves. Either key closes the stand-up and shows the board under it through the
view, with the filter box saying which (`esc` on the board clears it, `S` comes back).
"changed since the last stand-up" always uses the stand-up's default window (midnight
of the previous working day), even when the stand-up was opened with `--since`.
"""

from __future__ import annotations

from dealboard.domain.saved_views import BUILT_IN
from dealboard.ui.board.screen import BoardScreen
from dealboard.ui.board.views_picker import apply_view
from dealboard.ui.standup.screen import StandupScreen


def board_through(standup: StandupScreen, name: str) -> None:
    """Dismiss the stand-up and filter the board beneath it by the built-in view `name`."""
    view = next(v for v in BUILT_IN if v.name == name)
    board = next(
        (s for s in reversed(standup.app.screen_stack) if isinstance(s, BoardScreen)), None
    )
    standup.dismiss(None)
    if board is not None:
        apply_view(board, view)
