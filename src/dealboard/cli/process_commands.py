"""`dealboard check | bant | move | win | lose | reopen`: the sales process from a script."""

from __future__ import annotations

import argparse

from dealboard.cli.session import board_from
from dealboard.domain.records import MoveResult
from dealboard.vocabulary import CHOOSABLE_LOSS_REASONS


def check_arguments(check: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard check ID ITEM [--uncheck] [--stage S]`."""
    check.add_argument("id", metavar="ID")
    check.add_argument("item", metavar="ITEM", help="the criterion's number (from 1) or text")
    check.add_argument("--uncheck", action="store_true", help="remove the tick instead")
    check.add_argument("--stage", metavar="S", help="a stage other than the deal's current one")
    check.set_defaults(handler=check_item)


def move_arguments(move: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard move ID STAGE [--override REASON]`."""
    move.add_argument("id", metavar="ID")
    move.add_argument("stage", metavar="STAGE")
    move.add_argument("--override", metavar="REASON", help="managers: pass the gate, recorded")
    move.set_defaults(handler=move_deal)


def win_arguments(win: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard win ID [--override REASON]`."""
    win.add_argument("id", metavar="ID")
    win.add_argument("--override", metavar="REASON", help="managers: pass the gate, recorded")
    win.set_defaults(handler=win_deal)


def lose_arguments(lose: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard lose ID --reason CAT [--note TEXT]`."""
    lose.add_argument("id", metavar="ID")
    lose.add_argument(
        "--reason",
        required=True,
        metavar="CAT",
        help=", ".join(r.value for r in CHOOSABLE_LOSS_REASONS),
    )
    lose.add_argument("--note", default="", metavar="TEXT")
    lose.set_defaults(handler=lose_deal)


def bant_arguments(bant: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard bant ID ITEM STATE [--note TEXT]`."""
    bant.add_argument("id", metavar="ID")
    bant.add_argument("item", metavar="ITEM", help="budget, authority, need or timing")
    bant.add_argument("state", metavar="STATE", help="unknown, no, partial or yes")
    bant.add_argument("--note", metavar="TEXT", help="what you learnt (kept when omitted)")
    bant.set_defaults(handler=answer_bant)


def reopen_arguments(reopen: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard reopen ID [STAGE] [--override REASON]`."""
    reopen.add_argument("id", metavar="ID")
    reopen.add_argument(
        "stage", metavar="STAGE", nargs="?", help="open stage (default: the one it was closed from)"
    )
    reopen.add_argument(
        "--override", metavar="REASON", help="managers: pass a stage's full WIP limit, recorded"
    )
    reopen.set_defaults(handler=reopen_deal)


def check_item(args: argparse.Namespace) -> int:
    item = board_from(args).set_check(
        args.id, args.item, stage=args.stage, checked=not args.uncheck
    )
    mark = "x" if item.checked else " "
    print(f"[{mark}] {item.stage}: {item.text}")
    return 0


def answer_bant(args: argparse.Namespace) -> int:
    state = board_from(args).set_bant(args.id, args.item, args.state, args.note)
    print(f"deal {args.id}: {args.item.strip().lower()} is {state.value}")
    return 0


def _report(result: MoveResult) -> int:
    if not result.moved:
        print(f"deal {result.deal_id} is already in {result.to_stage}")
    else:
        note = " (gate overridden)" if result.overridden else ""
        print(f"deal {result.deal_id}: {result.from_stage} -> {result.to_stage}{note}")
    return 0


def move_deal(args: argparse.Namespace) -> int:
    return _report(board_from(args).move(args.id, args.stage, override=args.override))


def win_deal(args: argparse.Namespace) -> int:
    return _report(board_from(args).win(args.id, override=args.override))


def lose_deal(args: argparse.Namespace) -> int:
    return _report(board_from(args).lose(args.id, args.reason, args.note))


def reopen_deal(args: argparse.Namespace) -> int:
    return _report(board_from(args).reopen(args.id, args.stage, override=args.override))
