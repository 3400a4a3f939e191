"""`dealboard agenda [--user U | --team]`: what to do next, overdue first, then customers to
nurture."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from itertools import groupby
from typing import Any

from dealboard.cli.output import dumps, fit
from dealboard.cli.session import board_from
from dealboard.domain.agenda import AgendaItem, When, counts
from dealboard.domain.text import display_safe

_HEADINGS = {
    When.OVERDUE: "Overdue",
    When.TODAY: "Today",
    When.UPCOMING: "Upcoming",
    When.NURTURE: "Nurture: customers due a touch",
}


def agenda_arguments(agenda: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard agenda [--user U | --team]`."""
    whose = agenda.add_mutually_exclusive_group()
    whose.add_argument("--user", metavar="U", help="someone else's agenda (default: yours)")
    whose.add_argument(
        "--team", action="store_true", help="every owner's agenda, grouped by owner (managers)"
    )
    agenda.add_argument("--format", choices=("table", "json"), default="table")
    agenda.set_defaults(handler=show_agenda)


def show_agenda(args: argparse.Namespace) -> int:
    items = board_from(args).agenda(args.user, team=args.team)
    if args.format == "json":
        print(dumps([_item_json(i) for i in items]))
        return 0
    if not items:
        whose = "the team's open deals are" if args.team else "every open deal of yours is"
        print(f"nothing scheduled: {whose} without a due next step")
        return 0
    if not args.team:
        _print_groups(items, "")
        return 0
    for _, owned in groupby(items, key=lambda item: item.owner):
        group = list(owned)
        first = group[0]
        print(f"{display_safe(first.owner_display_name)} ({first.owner}): {counts(group)}")
        _print_groups(group, "  ")
    return 0


def _print_groups(items: Sequence[AgendaItem], indent: str) -> None:
    """Overdue, today's and upcoming items under a heading each."""
    for when in When:
        group = [i for i in items if i.when is when]
        if group:
            print(f"{indent}{_HEADINGS[when]} ({len(group)})")
            for item in group:
                print(f"{indent}  " + agenda_line(item))


def agenda_line(item: AgendaItem) -> str:
    """`2026-11-18  call       #10 Lab results portal · Qualify — Call the CFO`."""
    deal = f"#{item.deal_id} {display_safe(item.deal_title)} · {item.stage}"
    return f"{item.due.isoformat()}  {fit(item.kind, 10)} {deal} — {display_safe(item.what)}"


def _item_json(item: AgendaItem) -> dict[str, Any]:
    return {
        "due": item.due.isoformat(),
        "when": item.when.value,
        "kind": item.kind,
        "what": item.what,
        "deal_id": item.deal_id,
        "deal_title": item.deal_title,
        "account": item.account,
        "stage": item.stage,
        "owner": item.owner,
        "owner_display_name": item.owner_display_name,
        "activity_id": item.activity_id,
        "account_id": item.account_id,
    }
