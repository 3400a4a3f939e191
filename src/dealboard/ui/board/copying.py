"""`t`, `y` and `Y` on the board: the focused deal's stage templates, and copying for chat or email.

The work is in `dealboard.ui.templates.actions`, shared with the deal screen, and
imported (with the clipboard's libraries) when one of these keys is first pressed,
not while the board opens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dealboard.ui.board.screen import BoardScreen


def open_templates(screen: BoardScreen) -> None:
    """`t`: the focused deal's stage templates, rendered for that deal."""
    if (deal := screen.focused_deal) is not None:
        from dealboard.ui.templates import actions

        actions.open_templates(screen, deal.id)


def copy_template(screen: BoardScreen) -> None:
    """`y`: copy the focused deal's first stage template, rendered."""
    if (deal := screen.focused_deal) is not None:
        from dealboard.ui.templates import actions

        actions.copy_first_template(screen, deal.id)


def copy_summary(screen: BoardScreen) -> None:
    """`Y`: copy a Markdown summary of the focused deal."""
    if (deal := screen.focused_deal) is not None:
        from dealboard.ui.templates import actions

        actions.copy_summary(screen, deal.id)
