"""`dealboard standup`: stand-up mode full screen, or the same pages as text or Markdown.

On a terminal it opens the board in stand-up mode (the `S` screen); piped, or
with `--text`, it prints the pages as plain text; `--markdown` prints them for
chat. What each page counts is defined in `dealboard.domain.standup` and
`dealboard.domain.standup_forecast`.
"""

from __future__ import annotations

import argparse
from typing import Any

from dealboard.cli.session import board_from
from dealboard.domain.standup_text import standup_markdown, standup_plain

_HELP = """\
Pages, in order:
  since           deals moved, new, won and lost per owner since the last stand-up
                  (default: from midnight of the previous working day; Monday looks
                  back to Friday); a move that passed the gate by a manager's
                  override says `⚠ override: "reason"`, one that jumped stages
                  says which: `Qualify → Pitch (skipped Research)`
  attention       open SLA breaches and deals gone quiet
  forecast        this month and next per currency: weighted (value x stage
                  probability), best case, won so far, against the team's goal
                  for the month; each goal's attainment (dealboard goal list)
  one per person  their open deals moved, new, touched, or with a step due or late

--since takes a duration ago (24h, 3d) or a day (yesterday, -3d, 2026-11-20).
--target is a monthly target for this stand-up only (250k, EUR 90,000), in place of
the team's stored goal (dealboard goal set team 250k); only deals in its currency
count against it. Currencies are never converted.

Keys in stand-up mode: space, right or l next page; left, h or backspace back;
t sets the team's goal (managers); y copies the Markdown; esc, q or S back to the board."""


def standup_arguments(standup: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard standup [--pipeline P] [--since WHEN] [--target AMOUNT] [--markdown|--text]`."""
    standup.description = (
        "Stand-up mode, full screen and paged; piped or with --text it prints "
        "the pages, with --markdown it prints them for chat."
    )
    standup.epilog = _HELP
    standup.formatter_class = argparse.RawDescriptionHelpFormatter
    standup.add_argument("--pipeline", metavar="P", help="only this pipeline (default: all)")
    standup.add_argument(
        "--since", metavar="WHEN", help="window start (default: the previous working day)"
    )
    standup.add_argument(
        "--target", metavar="AMOUNT", help="monthly target for this run (default: the team goal)"
    )
    shown = standup.add_mutually_exclusive_group()
    shown.add_argument("--markdown", action="store_true", help="print Markdown for chat")
    shown.add_argument("--text", action="store_true", help="print plain text pages")
    standup.set_defaults(handler=show_standup)


def show_standup(args: argparse.Namespace) -> int:
    board = board_from(args)
    try:
        if not (args.markdown or args.text):
            from dealboard.cli.launch import on_a_terminal

            if on_a_terminal():
                board.standup(args.pipeline, args.since, args.target)  # refuse bad input here
                _open_standup_ui(board, args)
                return 0
        standup = board.standup(args.pipeline, args.since, args.target)
        print(standup_markdown(standup) if args.markdown else standup_plain(standup), end="")
    finally:
        board.database.dispose()
    return 0


def _open_standup_ui(board: Any, args: argparse.Namespace) -> None:
    from dealboard.ui.standup.app import StandupApp

    StandupApp(
        board,
        pipeline=args.pipeline,
        since=args.since,
        target=args.target,
        theme=args.theme,
        calm_collector=True,
    ).run(mouse=not args.no_mouse)
