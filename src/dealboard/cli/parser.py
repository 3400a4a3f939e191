"""The argument grammar of `dealboard`; handlers are attached by the command modules."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import NoReturn

from dealboard import __version__


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (exit 2), never a usage dump."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: {message} (see {self.prog} --help)\n")
        raise SystemExit(2)


def default_user() -> str:
    """The OS login: who is acting when `--as` is not given."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "user"


def common_options() -> argparse.ArgumentParser:
    """`--db` and `--as`, accepted before or after the subcommand."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="SQLAlchemy database URL (default: $DEALBOARD_DATABASE_URL, "
        "else the embedded SQLite board)",
    )
    parent.add_argument(
        "--as",
        dest="actor",
        metavar="USER",
        default=argparse.SUPPRESS,
        help="act as this user (default: your login name)",
    )
    return parent


def build_parser() -> OneLineParser:
    """The top-level parser; subcommands are added by `dealboard.cli.commands`."""
    parser = OneLineParser(
        prog="dealboard",
        description="A terminal kanban for running a sales process.",
        parents=[common_options()],
    )
    parser.add_argument("--version", action="version", version=f"dealboard {__version__}")
    parser.add_argument(
        "--no-mouse",
        action="store_true",
        default=argparse.SUPPRESS,
        help="leave the mouse to the terminal (for the board view)",
    )
    parser.add_argument(
        "--theme",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="colours for this run only: dealboard-dark, dealboard-light, projector, mono "
        "or one of your own (the command palette's choice is remembered instead)",
    )
    parser.set_defaults(db=None, actor=default_user(), no_mouse=False, theme=None)
    return parser
