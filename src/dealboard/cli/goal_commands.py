"""`dealboard goal set | list | clear`: monthly won-value goals per owner and for the team.

Definitions (what counts as won in a month, currencies, `team`) are in
`dealboard.domain.goals`.

JSON (`goal list --format json`): `{"month": "YYYY-MM", "goals": [row…]}`, owners
by name then the team; a row: `{"owner": login or null for the team,
"display_name", "currency", "goal_minor", "won_minor", "won_deals",
"attainment": percent with one decimal, "remaining_minor", "set_by", "set_at"}`.
"""

from __future__ import annotations

import argparse
from typing import Any

from dealboard.cli.output import dumps, table
from dealboard.cli.session import board_from
from dealboard.domain.goals import Attainment, month_label, parse_month, percent_text
from dealboard.domain.money import format_compact, format_money
from dealboard.domain.text import display_safe

_MONTH_HELP = "YYYY-MM (default: this month)"


def goal_arguments(goal: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard goal set OWNER AMOUNT [--month M] | list [--month M] | clear OWNER`."""
    goal.description = (
        "Monthly won-value goals for each owner and the team (`team`); managers set them."
    )
    actions = goal.add_subparsers(
        title="goal commands", metavar="ACTION", required=True, parser_class=type(goal)
    )
    setting = actions.add_parser(
        "set", parents=[common], help="set or replace a goal for a month (managers)"
    )
    setting.add_argument("owner", metavar="OWNER", help="login or display name, or team")
    setting.add_argument("amount", metavar="AMOUNT", help="50k, 120,000, EUR 40k")
    setting.add_argument("--month", metavar="YYYY-MM", help=_MONTH_HELP)
    setting.set_defaults(handler=goal_set)
    listing = actions.add_parser("list", parents=[common], help="a month's goals and attainment")
    listing.add_argument("--month", metavar="YYYY-MM", help=_MONTH_HELP)
    listing.add_argument("--format", choices=("table", "json"), default="table")
    listing.set_defaults(handler=goal_list)
    clearing = actions.add_parser("clear", parents=[common], help="remove a goal (managers)")
    clearing.add_argument("owner", metavar="OWNER", help="login or display name, or team")
    clearing.add_argument("--month", metavar="YYYY-MM", help=_MONTH_HELP)
    clearing.set_defaults(handler=goal_clear)


def goal_set(args: argparse.Namespace) -> int:
    goal = board_from(args).set_goal(args.owner, args.amount, args.month)
    who = display_safe(goal.owner or "the team")
    amount = format_money(goal.amount.minor, goal.amount.currency)
    print(f"goal for {who} in {month_label(goal.month)}: {amount}")
    return 0


def goal_clear(args: argparse.Namespace) -> int:
    board = board_from(args)
    board.clear_goal(args.owner, args.month)
    month = month_label(parse_month(args.month, board.today()))
    print(display_safe(f"goal for {' '.join(args.owner.split())} in {month} cleared"))
    return 0


def goal_list(args: argparse.Namespace) -> int:
    found = board_from(args).month_goals(args.month)
    rows = [*found.owners, *found.team]
    if args.format == "json":
        print(dumps({"month": found.month, "goals": [goal_json(a) for a in rows]}))
        return 0
    print(f"Goals for {month_label(found.month)}")
    if not rows:
        print("no goals set; a manager sets one with: dealboard goal set OWNER AMOUNT")
        return 0
    print(
        table(
            ["OWNER", "GOAL", "WON", "ATTAINMENT", "REMAINING", "SET BY"],
            [_cells(a) for a in rows],
            [24, 10, 10, 10, 10, 12],
            whole=(1, 2, 3, 4),
        )
    )
    return 0


def _cells(attainment: Attainment) -> list[str]:
    goal = attainment.goal
    currency = goal.amount.currency
    return [
        goal.display_name,
        format_compact(goal.amount.minor, currency),
        format_compact(attainment.won_minor, currency),
        percent_text(attainment),
        format_compact(attainment.remaining_minor, currency),
        goal.set_by,
    ]


def goal_json(attainment: Attainment) -> dict[str, Any]:
    """One goal with its attainment (documented in the module)."""
    goal = attainment.goal
    percent = attainment.percent
    return {
        "owner": goal.owner,
        "display_name": goal.display_name,
        "currency": goal.amount.currency,
        "goal_minor": goal.amount.minor,
        "won_minor": attainment.won_minor,
        "won_deals": attainment.won_deals,
        "attainment": round(percent, 1) if percent is not None else None,
        "remaining_minor": attainment.remaining_minor,
        "set_by": goal.set_by,
        "set_at": goal.set_at.isoformat(),
    }
