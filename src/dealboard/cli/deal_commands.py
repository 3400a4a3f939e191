"""`dealboard deal add | edit | list | show` (and `repeat`, from `repeat_commands`)."""

from __future__ import annotations

import argparse
from functools import partial

from dealboard.cli.output import deal_json, deals_table, detail_json, dumps
from dealboard.cli.render_deal import deal_text
from dealboard.cli.repeat_commands import repeat_arguments
from dealboard.cli.session import board_from
from dealboard.cli.table_widths import terminal_columns
from dealboard.domain.deals import DealFields


def deal_arguments(deal: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard deal add | edit | list | show`."""
    actions = deal.add_subparsers(
        title="deal commands", metavar="ACTION", required=True, parser_class=type(deal)
    )

    add = actions.add_parser("add", parents=[common], help="create a deal; prints its id")
    add.add_argument("--title", required=True)
    _field_options(add)
    add.add_argument("--pipeline", metavar="NAME", help="pipeline (default: the first)")
    add.add_argument("--stage", metavar="S", help="starting stage (default: the first)")
    add.add_argument("--tag", action="append", default=[], metavar="T", help="repeatable")
    add.set_defaults(handler=add_deal)

    edit = actions.add_parser("edit", parents=[common], help="change fields of a deal")
    edit.add_argument("id", metavar="ID")
    edit.add_argument("--title")
    _field_options(edit)
    edit.add_argument("--next-step", metavar="TEXT", help="the next step ('' clears it)")
    edit.add_argument(
        "--due",
        metavar="D",
        help="due date of the next step (today, +2d, fri, next mon, 2026-12-31)",
    )
    edit.add_argument("--tag", action="append", default=[], metavar="T", help="add a tag")
    edit.add_argument("--untag", action="append", default=[], metavar="T", help="remove a tag")
    edit.add_argument(
        "--if-version",
        type=int,
        metavar="N",
        help="refuse (exit 4) unless the deal is still at this version",
    )
    edit.set_defaults(handler=edit_deal)

    listing = actions.add_parser("list", parents=[common], help="list deals (open by default)")
    listing.add_argument("--pipeline", metavar="NAME")
    listing.add_argument("--stage", metavar="S")
    listing.add_argument("--owner", metavar="U")
    listing.add_argument("--all", action="store_true", help="include won and lost deals")
    listing.add_argument(
        "--view", metavar="NAME", help="through a saved or built-in view (dealboard view list)"
    )
    listing.add_argument("--format", choices=("table", "json"), default="table")
    listing.set_defaults(handler=list_deals)

    show = actions.add_parser("show", parents=[common], help="everything about one deal")
    show.add_argument("id", metavar="ID")
    show.add_argument("--format", choices=("text", "json"), default="text")
    show.set_defaults(handler=show_deal)
    repeat_arguments(actions, common)


def _field_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--value", metavar="V", help="e.g. 12500, 12.5k, $1.2M, EUR 900")
    parser.add_argument("--account", metavar="A")
    parser.add_argument("--contact", metavar="C", help="primary contact")
    parser.add_argument("--contact-type", metavar="T", help="Suspect, Prospect, Lead or Customer")
    parser.add_argument("--owner", metavar="U")
    parser.add_argument(
        "--close-date", metavar="D", help="2026-12-31, today, +14d, +2w, fri, next mon"
    )
    parser.add_argument("--source", metavar="S", help="where the lead came from")


def _fields(args: argparse.Namespace) -> DealFields:
    return DealFields(
        title=args.title,
        value=args.value,
        account=args.account,
        contact=args.contact,
        owner=args.owner,
        contact_type=args.contact_type,
        source=args.source,
        close_date=args.close_date,
        next_step=getattr(args, "next_step", None),
        next_step_due=getattr(args, "due", None),
        add_tags=tuple(args.tag),
        remove_tags=tuple(getattr(args, "untag", ())),
    )


def add_deal(args: argparse.Namespace) -> int:
    board = board_from(args)
    print(board.add_deal(_fields(args), pipeline=args.pipeline, stage=args.stage))
    return 0


def edit_deal(args: argparse.Namespace) -> int:
    board = board_from(args)
    deal = board.edit_deal(args.id, _fields(args), expected_version=args.if_version)
    print(f"deal {deal.id} saved (version {deal.version})")
    return 0


def list_deals(args: argparse.Namespace) -> int:
    board = board_from(args)
    listed = board.list_deals if args.view is None else partial(board.deals_in_view, args.view)
    deals = listed(
        pipeline=args.pipeline, stage=args.stage, owner=args.owner, include_closed=args.all
    )
    if args.format == "json":
        print(dumps([deal_json(d) for d in deals]))
    elif deals:
        print(deals_table(deals, terminal_columns()))
    else:
        print("no deals match")
    return 0


def show_deal(args: argparse.Namespace) -> int:
    board = board_from(args)
    detail = board.deal(args.id)
    if args.format == "json":
        print(dumps(detail_json(detail)))
    else:
        print(deal_text(detail, board.today()), end="")
    return 0
