"""`dealboard reassign`: a manager moves deals from one owner to another.

`--breached-only` keeps the deals with an open SLA breach now (no first touch
within the speed to lead, or a follow-up window over with attempts missing;
see `dealboard.domain.sla`): the neglected leads a team takes back.
"""

from __future__ import annotations

import argparse

from dealboard.cli.session import board_from
from dealboard.domain.text import display_safe


def reassign_arguments(reassign: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard reassign --from A --to B [--stage S] [--pipeline P] [--breached-only]`."""
    reassign.add_argument("--from", dest="source", metavar="A", required=True, help="current owner")
    reassign.add_argument("--to", metavar="B", required=True, help="new owner")
    reassign.add_argument("--stage", metavar="S", help="only deals in this stage")
    reassign.add_argument("--pipeline", metavar="P", help="only this pipeline")
    reassign.add_argument(
        "--breached-only",
        action="store_true",
        help="only deals breaking an SLA now (no touch in time, follow-up late)",
    )
    reassign.add_argument("--dry-run", action="store_true", help="list them, change nothing")
    reassign.set_defaults(handler=reassign_deals)


def reassign_deals(args: argparse.Namespace) -> int:
    board = board_from(args)
    wanted = board.breached_deals if args.breached_only else board.list_deals
    chosen = wanted(pipeline=args.pipeline, stage=args.stage, owner=args.source)
    if not chosen:
        which = "breached open deals" if args.breached_only else "open deals"
        print(f"no {which} of {args.source} match; nothing reassigned")
        return 0
    for deal in chosen:
        print(display_safe(f"  #{deal.id} {deal.title} ({deal.stage})"))
    if args.dry_run:
        print(f"{_deals(len(chosen))} would go from {args.source} to {args.to} (dry run)")
        return 0
    moved = board.reassign([d.id for d in chosen], args.to)
    print(f"{_deals(moved)} reassigned from {args.source} to {args.to}")
    return 0


def _deals(count: int) -> str:
    return f"{count} deal" if count == 1 else f"{count} deals"
