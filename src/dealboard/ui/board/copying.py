"""`t`, `y` and `Y` on the board: the stage's templates, and copying text for chat or email.

(Being built: see issue 6.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dealboard.ui.board.screen import BoardScreen


def open_templates(screen: BoardScreen) -> None:
    """`t`: the focused deal's stage templates, rendered for that deal."""
    screen.notify("Templates are not available yet", markup=False)


def copy_template(screen: BoardScreen) -> None:
    """`y`: copy the focused deal's first stage template, rendered."""
    screen.notify("Copying is not available yet", markup=False)


def copy_summary(screen: BoardScreen) -> None:
    """`Y`: copy a Markdown summary of the focused deal."""
    screen.notify("Copying is not available yet", markup=False)
