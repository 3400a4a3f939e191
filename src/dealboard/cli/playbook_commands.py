"""`dealboard playbook`: the pipeline's process as a page, for a new hire or for a buyer.

`--for team` (the default) writes everything the team works by: the rules of
the gate, SLAs, and per stage what it is for, its win probability, when a deal
goes quiet, the cadence, the exit criteria (BANT ties marked) and the call
scripts and emails. `--for buyer` keeps only the steps, what each is for and
what is agreed before moving on: nothing internal (see `dealboard.domain.playbook`).
"""

from __future__ import annotations

import argparse

from dealboard.cli.session import board_from
from dealboard.domain.playbook import Audience
from dealboard.domain.playbook_html import playbook_html
from dealboard.domain.playbook_markdown import playbook_markdown

_RENDERERS = {"md": playbook_markdown, "html": playbook_html}


def playbook_arguments(playbook: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard playbook [--pipeline NAME] [--format md|html] [--for team|buyer]`."""
    playbook.description = (
        "Print a pipeline's playbook as Markdown or as one self-contained HTML page "
        "(inline CSS, prints cleanly). --for buyer leaves out everything internal (win "
        "probabilities, SLAs, cadence, quiet days, BANT ties, scripts and emails, loss "
        "reasons): the steps, what each is for and what is agreed before moving on."
    )
    playbook.add_argument(
        "--pipeline", metavar="NAME", help="which pipeline (default: the board's first)"
    )
    playbook.add_argument(
        "--format", choices=tuple(_RENDERERS), default="md", help="md (default) or html"
    )
    playbook.add_argument(
        "--for",
        dest="audience",
        choices=[a.value for a in Audience],
        default=Audience.TEAM.value,
        help="team (default: everything) or buyer (a summary to share)",
    )
    playbook.set_defaults(handler=print_playbook)


def print_playbook(args: argparse.Namespace) -> int:
    """Write the page to stdout (`> playbook.html` to keep it)."""
    board = board_from(args)
    try:
        playbook = board.playbook(args.pipeline, args.audience)
    finally:
        board.database.dispose()
    print(_RENDERERS[args.format](playbook), end="")
    return 0
