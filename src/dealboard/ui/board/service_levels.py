"""`M` on the board: the SLA screen, per owner (being built: see issue 6)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dealboard.ui.board.screen import BoardScreen


def open_sla(screen: BoardScreen) -> None:
    """Push the SLA screen."""
    screen.notify("The SLA screen is not available yet", markup=False)
