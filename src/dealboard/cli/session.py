"""Opening the board a command asked for, and the board printout shared by several commands."""

from __future__ import annotations

import argparse
import os

from dealboard.db.engine import DATABASE_URL_ENV, resolve_database_url
from dealboard.domain import presence
from dealboard.domain.board import Board, open_board
from dealboard.domain.pipeline_spec import DEFAULT_TEMPLATE


def board_arguments(board: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard board [--pipeline NAME]`."""
    board.add_argument("--pipeline", metavar="NAME", help="which pipeline (default: the first)")
    board.set_defaults(handler=show_board)


def board_from(
    args: argparse.Namespace, *, create: bool = False, first_template: str | None = DEFAULT_TEMPLATE
) -> Board:
    """Open (upgrading as needed) the board selected by `--db` / the environment.

    The acting user is whoever is logged in (see `dealboard.domain.identity`),
    or the teammate a manager named with `--as`. Only `create=True` may make
    a new board; every other command refuses a place where no board is.
    """
    return open_board(
        resolve_database_url(args.db),
        acting_for=args.acting_for,
        create=create,
        first_template=first_template,
    )


def on_default_location(args: argparse.Namespace) -> bool:
    """True when neither `--db` nor the environment chose the board: the user's own board."""
    return not (args.db or os.environ.get(DATABASE_URL_ENV, "").strip())


def where(args: argparse.Namespace) -> str:
    """Where the board lives, for messages: a file path, or the URL without its password."""
    return presence.where(resolve_database_url(args.db))


def show_board(args: argparse.Namespace) -> int:
    """`dealboard board`: print the board as text."""
    board = board_from(args)
    try:
        print_board(board, getattr(args, "pipeline", None))
    finally:
        board.database.dispose()
    return 0


def run_board(args: argparse.Namespace) -> int:
    """`dealboard` alone: the interactive board on a terminal, the text board otherwise."""
    from dealboard.cli.launch import open_board_ui

    board = board_from(args, create=on_default_location(args))
    try:
        open_board_ui(
            board,
            mouse=not args.no_mouse,
            pipeline=getattr(args, "pipeline", None),
            theme=args.theme,
        )
    finally:
        board.database.dispose()
    return 0


def print_board(board: Board, pipeline_name: str | None) -> None:
    """Every column of one pipeline with its cards."""
    from dealboard.cli.output import board_text

    pipeline = board.pipeline(pipeline_name)
    deals = board.list_deals(pipeline=pipeline.name, include_closed=True)
    print(board_text(pipeline, deals, board.now()), end="")
