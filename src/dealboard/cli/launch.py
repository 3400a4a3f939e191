"""Opening the Textual board from the command line, or printing it when there is no terminal.

`dealboard` in a pipe or a script prints the text board instead of starting a
full-screen app nobody can see. Textual is imported only here, only when needed.
"""

from __future__ import annotations

import sys

from dealboard.cli.session import print_board
from dealboard.domain.board import Board
from dealboard.domain.errors import NotFound


def on_a_terminal() -> bool:
    """True when a person is there to use the full-screen board."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def check_theme(name: str) -> None:
    """Refuse a `--theme` nobody has, before anything is opened (exit 2, one line)."""
    from dealboard.ui.theme_choice import theme_names

    names = theme_names()
    if name not in names:
        raise NotFound("theme", name, f"choose from {', '.join(names)}")


def open_board_ui(
    board: Board, *, mouse: bool, pipeline: str | None = None, theme: str | None = None
) -> None:
    """Run the board until the user quits; print it instead when not on a terminal."""
    if not on_a_terminal():
        print_board(board, pipeline)
        return
    from dealboard.domain.views import BoardRequest, Viewport

    # The first view is read now, before Textual is even imported: the screen opens
    # with cards instead of waiting for a read that would compete with its own start.
    first = board.views.board_view(BoardRequest(pipeline), Viewport(), None)
    from dealboard.ui.app import DealboardApp

    app = DealboardApp(board, pipeline=pipeline, theme=theme, calm_collector=True, first_view=first)
    app.run(mouse=mouse)
