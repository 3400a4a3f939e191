"""Registers every subcommand on the parser; each module adds its own group."""

from __future__ import annotations

from dealboard.cli import (
    admin_commands,
    agenda_commands,
    deal_commands,
    doctor_commands,
    history_commands,
    process_commands,
    team_commands,
)
from dealboard.cli.parser import OneLineParser, common_options
from dealboard.cli.session import show_board


def add_commands(parser: OneLineParser) -> None:
    """Attach all subcommands; `dealboard` alone shows the board."""
    subparsers = parser.add_subparsers(
        title="commands", metavar="COMMAND", parser_class=OneLineParser
    )
    common = common_options()
    board = subparsers.add_parser("board", parents=[common], help="print the board")
    board.add_argument("--pipeline", metavar="NAME", help="which pipeline (default: the first)")
    board.set_defaults(handler=show_board)
    admin_commands.register(subparsers, common)
    deal_commands.register(subparsers, common)
    process_commands.register(subparsers, common)
    history_commands.register(subparsers, common)
    agenda_commands.register(subparsers, common)
    team_commands.register(subparsers, common)
    doctor_commands.register(subparsers, common)
