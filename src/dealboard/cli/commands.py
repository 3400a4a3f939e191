"""Every subcommand by name, in `--help` order, and the module that knows its arguments.

This table is all `dealboard --help` needs, so it imports no command module.
A command's module (and the domain behind it) is imported when that command
is parsed: `CommandParser` calls the module's `grammar` function, which adds
the arguments and sets the handler.
"""

from __future__ import annotations

import argparse
from functools import partial
from importlib import import_module
from typing import NamedTuple

from dealboard.cli.parser import CommandParser, OneLineParser, common_options


class Command(NamedTuple):
    """One top-level command: its line in `dealboard --help` and where its grammar lives.

    A named tuple, not a dataclass: `dataclasses` imports `inspect`, which
    `--version` and `--help` otherwise never load.
    """

    name: str
    help: str
    module: str
    grammar: str

    def add_arguments(
        self, parser: argparse.ArgumentParser, common: argparse.ArgumentParser
    ) -> None:
        """Import `dealboard.cli.<module>` and let its `grammar` function fill in `parser`."""
        fill = getattr(import_module(f"dealboard.cli.{self.module}"), self.grammar)
        fill(parser, common)


COMMANDS: tuple[Command, ...] = (
    Command("board", "print the board", "session", "board_arguments"),
    Command("init", "create a board", "admin_commands", "init_arguments"),
    Command("demo", "a throwaway demo board, no set-up needed", "admin_commands", "demo_arguments"),
    Command("db", "schema migrations", "admin_commands", "db_arguments"),
    Command("pipeline", "pipelines as files", "admin_commands", "pipeline_arguments"),
    Command("user", "people on the board", "admin_commands", "user_arguments"),
    Command("deal", "add, edit, list and show deals", "deal_commands", "deal_arguments"),
    Command(
        "check",
        "tick an exit criterion of a deal's stage",
        "process_commands",
        "check_arguments",
    ),
    Command("move", "move a deal through the gate", "process_commands", "move_arguments"),
    Command("win", "close a deal as won", "process_commands", "win_arguments"),
    Command("lose", "close a deal as lost", "process_commands", "lose_arguments"),
    Command(
        "bant",
        "answer a BANT question (budget, authority, need, timing)",
        "process_commands",
        "bant_arguments",
    ),
    Command("reopen", "bring a closed deal back", "process_commands", "reopen_arguments"),
    Command("log", "who changed what, when (old -> new)", "history_commands", "log_arguments"),
    Command("undo", "undo your last change", "history_commands", "undo_arguments"),
    Command("redo", "redo what you last undid", "history_commands", "redo_arguments"),
    Command(
        "agenda",
        "your overdue, today's and upcoming next steps",
        "agenda_commands",
        "agenda_arguments",
    ),
    Command(
        "account",
        "customers: every deal of an account across pipelines, lifetime won value, lineage",
        "account_commands",
        "account_arguments",
    ),
    Command(
        "touch",
        "log a call, email, meeting, social touch or note on a deal",
        "activity_commands",
        "touch_arguments",
    ),
    Command(
        "reassign",
        "give one owner's open deals to another (managers)",
        "team_commands",
        "reassign_arguments",
    ),
    Command(
        "goal", "monthly won-value goals per owner and team", "goal_commands", "goal_arguments"
    ),
    Command(
        "report",
        "reports for managers and scripts: funnel, stages, velocity, forecast, losses, "
        "cohorts, owners, sla",
        "report_commands",
        "report_arguments",
    ),
    Command(
        "standup",
        "stand-up mode: what moved, breaches, forecast, each person's deals",
        "standup_commands",
        "standup_arguments",
    ),
    Command(
        "playbook",
        "the process written down: stages, criteria, cadence, SLAs, templates",
        "playbook_commands",
        "playbook_arguments",
    ),
    Command(
        "backup",
        "copy a live SQLite board, safely while others use it",
        "backup_commands",
        "backup_arguments",
    ),
    Command(
        "restore",
        "put a backup back in place of the SQLite board (the current one is kept aside)",
        "backup_commands",
        "restore_arguments",
    ),
    Command(
        "import",
        "add deals from a CSV file (managers), or restore a JSON export into an empty board",
        "exchange_commands",
        "import_arguments",
    ),
    Command(
        "export",
        "write the board as JSON (complete) or its deals as CSV (for spreadsheets)",
        "exchange_commands",
        "export_arguments",
    ),
    Command(
        "view",
        "saved board filters: list, save, delete (deal list --view NAME uses one)",
        "view_commands",
        "view_arguments",
    ),
    Command(
        "doctor",
        "check the database's file, permissions, filesystem and schema (changes nothing)",
        "doctor_commands",
        "doctor_arguments",
    ),
)


def add_commands(parser: OneLineParser) -> None:
    """Attach every subcommand, still empty; `dealboard` alone shows the board."""
    subparsers = parser.add_subparsers(
        title="commands", metavar="COMMAND", parser_class=CommandParser
    )
    common = common_options()
    for command in COMMANDS:
        subparsers.add_parser(
            command.name,
            parents=[common],
            help=command.help,
            grammar=partial(command.add_arguments, common=common),
        )
