"""The argument grammar of `dealboard`; each command's arguments and handler come from its module.

Building the parser imports nothing heavy: the top level lists the commands
from `dealboard.cli.commands`, and a command's own arguments are added by
`CommandParser` only when that command is parsed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from dealboard import __version__


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line on stderr (exit 2), never a usage dump."""

    def error(self, message: str) -> NoReturn:
        # The message quotes what was typed: control characters in it must not reach the
        # terminal. The domain is not imported for this (`--help` stays light).
        shown = "".join(c if c.isprintable() else "\ufffd" for c in message)
        sys.stderr.write(f"{self.prog}: {shown} (see {self.prog} --help)\n")
        raise SystemExit(2)


#: Adds a command's arguments (and its handler) to the command's empty parser.
Grammar = Callable[[argparse.ArgumentParser], None]


class CommandParser(OneLineParser):
    """A subcommand's parser that gets its arguments the first time it is used.

    Its `grammar` imports the command's module, and with it the domain and
    SQLAlchemy; waiting until the command is parsed (or its help or usage is
    shown) keeps `dealboard --help` and `--version` free of them.
    """

    def __init__(self, *args: Any, grammar: Grammar | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._grammar = grammar

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        self.fill()
        return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        self.fill()
        return super().format_usage()

    def format_help(self) -> str:
        self.fill()
        return super().format_help()

    def fill(self) -> None:
        """Add the command's arguments now, once."""
        grammar, self._grammar = self._grammar, None
        if grammar is not None:
            grammar(self)


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
        dest="acting_for",
        metavar="USER",
        default=argparse.SUPPRESS,
        help="managers only: act for this teammate, recorded as 'you as USER' "
        "(you are always your OS login, or your database role on PostgreSQL)",
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
    parser.set_defaults(db=None, acting_for=None, no_mouse=False, theme=None)
    return parser
