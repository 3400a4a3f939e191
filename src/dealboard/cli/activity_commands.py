"""`dealboard touch ID KIND SUBJECT`: log a call, email, meeting, social touch or note.

The command twin of the board's `a` key, so a rep can log from a script or a
phone's SSH session; it prints the same cadence advice the card shows.
"""

from __future__ import annotations

import argparse

from dealboard.cli.session import board_from
from dealboard.domain.cadence import no_reply_advice
from dealboard.domain.lookup import parse_deal_id
from dealboard.domain.text import display_safe
from dealboard.vocabulary import ActivityKind


def touch_arguments(touch: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard touch ID KIND SUBJECT`."""
    touch.add_argument("deal", metavar="ID", help="the deal's number")
    touch.add_argument("kind", metavar="KIND", help=", ".join(k.value for k in ActivityKind))
    touch.add_argument("subject", metavar="SUBJECT", help="what it was, in a line")
    touch.add_argument("--outcome", default="", help="what came of it")
    touch.add_argument(
        "--reached", action="store_true", help="the buyer answered (stops the cadence count)"
    )
    touch.add_argument(
        "--planned",
        metavar="DATE",
        help="schedule it for DATE instead of logging it as done (today, +3d, 2026-12-01…)",
    )
    touch.add_argument("--next-step", default="", metavar="TEXT", help="the deal's next step")
    touch.add_argument(
        "--due",
        metavar="DATE",
        help="the next step's due date (today, +2d, fri, next mon, 2026-12-31)",
    )
    touch.set_defaults(handler=log_touch)


def log_touch(args: argparse.Namespace) -> int:
    board = board_from(args)
    done = args.planned is None
    board.add_activity(
        args.deal,
        kind=args.kind,
        subject=args.subject,
        due=args.planned,
        done=done,
        outcome=args.outcome,
        next_step=args.next_step,
        next_step_due=args.due,
        reached=args.reached,
    )
    (deal,) = board.deals_by_id([parse_deal_id(args.deal)])
    verb = "logged" if done else "planned"
    print(f"{args.kind} {verb} on #{deal.id} {display_safe(deal.title)}")
    stage = next(s for s in board.pipeline(deal.pipeline).stages if s.id == deal.stage_id)
    if stage.cadence_attempts is not None and done:
        print(f"attempts in {stage.name}: {deal.touches_in_stage}/{stage.cadence_attempts}")
    advice = no_reply_advice(deal, stage)
    if advice is not None:
        print(f"{advice} (dealboard lose {deal.id} no-decision)")
    return 0
