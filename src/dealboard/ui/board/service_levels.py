"""`M` on the board: the SLA screen for the board's pipeline; a row chosen there filters the board.

Enter on an owner shows their breached cards (`@lena breach`); `m` also marks
them, so a manager's next key, `O`, reassigns the lot.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dealboard.ui.deal.common import board_of
from dealboard.ui.text import notify_plain
from dealboard.ui.worker import in_background

if TYPE_CHECKING:
    from dealboard.ui.board.screen import BoardScreen
    from dealboard.ui.sla.screen import BoardRequest


def open_sla(screen: BoardScreen) -> None:
    """Push the SLA screen; what it asks for is done on the board when it closes."""
    from dealboard.ui.sla.screen import SlaScreen

    pipeline = screen.pipeline_name
    screen.app.push_screen(SlaScreen(pipeline), lambda request: _carry_out(screen, request))


def _carry_out(screen: BoardScreen, request: BoardRequest | None) -> None:
    if request is None:
        return
    screen.show_filter(request.filter)
    if not request.mark:
        return
    board, asked = board_of(screen), screen.request

    def mark(shown: list[int]) -> None:
        screen.marked.update(shown)
        screen.redraw_cards()
        if len(shown) == 1:
            said = "1 card marked: O reassigns it, esc clears the mark"
        else:
            said = f"{len(shown)} cards marked: O reassigns them, esc clears the marks"
        notify_plain(screen, said)

    # Every card the filter keeps, not only those read so far.
    in_background(screen, lambda: board.views.open_deal_ids(asked), mark)
