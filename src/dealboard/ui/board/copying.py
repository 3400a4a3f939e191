"""`t`, `y` and `Y` on the board: the focused deal's stage templates, and copying for chat or email.

The work is in `dealboard.ui.templates.actions`, shared with the deal screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from dealboard.ui.templates import actions

if TYPE_CHECKING:
    from dealboard.ui.board.screen import BoardScreen


def open_templates(screen: BoardScreen) -> None:
    """`t`: the focused deal's stage templates, rendered for that deal."""
    if (deal := screen.focused_deal) is not None:
        actions.open_templates(screen, deal.id)


def copy_template(screen: BoardScreen) -> None:
    """`y`: copy the focused deal's first stage template, rendered."""
    if (deal := screen.focused_deal) is not None:
        actions.copy_first_template(screen, deal.id)


def copy_summary(screen: BoardScreen) -> None:
    """`Y`: copy a Markdown summary of the focused deal."""
    if (deal := screen.focused_deal) is not None:
        actions.copy_summary(screen, deal.id)
