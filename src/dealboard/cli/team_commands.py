"""`dealboard reassign`: a manager moves deals from one owner to another."""

from __future__ import annotations

import argparse
from typing import Any

from dealboard.cli.session import board_from


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add the team commands."""
    reassign = subparsers.add_parser(
        "reassign", parents=[common], help="give one owner's open deals to another (managers)"
    )
    reassign.add_argument("--from", dest="source", metavar="A", required=True, help="current owner")
    reassign.add_argument("--to", metavar="B", required=True, help="new owner")
    reassign.add_argument("--stage", metavar="S", help="only deals in this stage")
    reassign.add_argument("--pipeline", metavar="P", help="only this pipeline")
    reassign.add_argument("--dry-run", action="store_true", help="list them, change nothing")
    reassign.set_defaults(handler=reassign_deals)


def reassign_deals(args: argparse.Namespace) -> int:
    board = board_from(args)
    chosen = board.list_deals(pipeline=args.pipeline, stage=args.stage, owner=args.source)
    if not chosen:
        print(f"no open deals of {args.source} match; nothing reassigned")
        return 0
    for deal in chosen:
        print(f"  #{deal.id} {deal.title} ({deal.stage})")
    if args.dry_run:
        print(f"{_deals(len(chosen))} would go from {args.source} to {args.to} (dry run)")
        return 0
    moved = board.reassign([d.id for d in chosen], args.to)
    print(f"{_deals(moved)} reassigned from {args.source} to {args.to}")
    return 0


def _deals(count: int) -> str:
    return f"{count} deal" if count == 1 else f"{count} deals"
