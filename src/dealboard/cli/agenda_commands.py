"""`dealboard agenda [--user U]`: what to do next, overdue first."""

from __future__ import annotations

import argparse
from typing import Any

from dealboard.cli.output import dumps, fit
from dealboard.cli.session import board_from
from dealboard.domain.agenda import AgendaItem, When
from dealboard.domain.text import display_safe

_HEADINGS = {When.OVERDUE: "Overdue", When.TODAY: "Today", When.UPCOMING: "Upcoming"}


def agenda_arguments(agenda: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard agenda [--user U]`."""
    agenda.add_argument("--user", metavar="U", help="someone else's agenda (default: yours)")
    agenda.add_argument("--format", choices=("table", "json"), default="table")
    agenda.set_defaults(handler=show_agenda)


def show_agenda(args: argparse.Namespace) -> int:
    items = board_from(args).agenda(args.user)
    if args.format == "json":
        print(dumps([_item_json(i) for i in items]))
        return 0
    if not items:
        print("nothing scheduled: every open deal of yours is without a due next step")
        return 0
    for when in When:
        group = [i for i in items if i.when is when]
        if group:
            print(f"{_HEADINGS[when]} ({len(group)})")
            for item in group:
                print("  " + agenda_line(item))
    return 0


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
        "activity_id": item.activity_id,
    }
