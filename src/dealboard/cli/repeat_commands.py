"""`dealboard deal repeat`: start the next deal for a customer from a won (or follow-up) deal."""

from __future__ import annotations

import argparse

from dealboard.cli.output import detail_json, dumps
from dealboard.cli.session import board_from
from dealboard.domain.text import display_safe


def repeat_arguments(
    actions: argparse._SubParsersAction[argparse.ArgumentParser],
    common: argparse.ArgumentParser,
) -> None:
    """`deal repeat ID --kind K [--title T] [--account A] [--value V] [--pipeline P]`."""
    repeat = actions.add_parser(
        "repeat",
        parents=[common],
        help="start an upsell, cross-sell, renewal or referral from a won or follow-up deal",
    )
    repeat.add_argument("id", metavar="ID", help="the won (or follow-up) deal it comes from")
    repeat.add_argument(
        "--kind", required=True, metavar="K", help="upsell, cross-sell, renewal or referral"
    )
    repeat.add_argument("--title", metavar="T", help="default: '<Kind>: <old title>'")
    repeat.add_argument(
        "--account", metavar="A", help="referral: the new customer (required there)"
    )
    repeat.add_argument("--contact", metavar="C", help="default: the old deal's contact")
    repeat.add_argument(
        "--value", metavar="V", help="default: none (a renewal: the old deal's value)"
    )
    repeat.add_argument("--pipeline", metavar="NAME", help="default: the old deal's pipeline")
    repeat.add_argument("--format", choices=("text", "json"), default="text")
    repeat.set_defaults(handler=repeat_deal)


def repeat_deal(args: argparse.Namespace) -> int:
    from dealboard.domain.repeat_deal import RepeatRequest

    board = board_from(args)
    request = RepeatRequest(
        kind=args.kind,
        title=args.title,
        account=args.account,
        contact=args.contact,
        value=args.value,
        pipeline=args.pipeline,
    )
    detail = board.deal(board.start_repeat_deal(args.id, request))
    if args.format == "json":
        print(dumps(detail_json(detail)))
        return 0
    deal, lineage = detail.summary, detail.lineage
    assert lineage is not None and lineage.origin_kind is not None
    kind, origin = lineage.origin_kind.value, lineage.origin_deal_id
    line = f"deal {deal.id} started: {deal.title} ({kind} from #{origin}"
    line += f", referred by {lineage.referred_by})" if lineage.referred_by else ")"
    print(display_safe(line))
    return 0
