"""Registers every subcommand on the parser; each module adds its own group."""

from __future__ import annotations

from dealboard.cli import (
    activity_commands,
    admin_commands,
    agenda_commands,
    backup_commands,
    deal_commands,
    doctor_commands,
    exchange_commands,
    history_commands,
    playbook_commands,
    process_commands,
    report_commands,
    standup_commands,
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
    activity_commands.register(subparsers, common)
    team_commands.register(subparsers, common)
    report_commands.register(subparsers, common)
    standup_commands.register(subparsers, common)
    playbook_commands.register(subparsers, common)
    backup_commands.register(subparsers, common)
    exchange_commands.register(subparsers, common)
    doctor_commands.register(subparsers, common)
