"""`dealboard view list | save | delete`: the board filters a user named (saved views).

Views are the logged-in user's own, as in the board (`dealboard.domain.saved_views`);
`dealboard deal list --view NAME` lists the deals of one.
"""

from __future__ import annotations

import argparse

from dealboard.cli.output import dumps, table
from dealboard.cli.session import board_from
from dealboard.domain.errors import RuleViolation
from dealboard.domain.saved_views import ViewExists
from dealboard.domain.text import display_safe


def view_arguments(view: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard view list [--format json] | save NAME FILTER [--replace] | delete NAME`."""
    actions = view.add_subparsers(
        title="view commands", metavar="ACTION", required=True, parser_class=type(view)
    )
    listing = actions.add_parser("list", parents=[common], help="built-in views and your own")
    listing.add_argument("--format", choices=("table", "json"), default="table")
    listing.set_defaults(handler=list_views)

    save = actions.add_parser("save", parents=[common], help="name a board filter")
    save.add_argument("name", metavar="NAME", help="1 to 60 characters")
    save.add_argument("query", metavar="FILTER", help="as typed after / on the board")
    save.add_argument("--replace", action="store_true", help="replace your view of that name")
    save.set_defaults(handler=save_view)

    delete = actions.add_parser("delete", parents=[common], help="delete one of your views")
    delete.add_argument("name", metavar="NAME")
    delete.set_defaults(handler=delete_view)


def list_views(args: argparse.Namespace) -> int:
    views = board_from(args).list_views()
    if args.format == "json":
        print(dumps([{"name": v.name, "query": v.query, "built_in": v.built_in} for v in views]))
        return 0
    rows = [(v.name, v.query, "built in" if v.built_in else "") for v in views]
    print(table(("name", "filter", ""), rows, (32, 32, 8), whole=(1,)))
    return 0


def save_view(args: argparse.Namespace) -> int:
    try:
        saved = board_from(args).save_view(args.name, args.query, replace=args.replace)
    except ViewExists as exists:
        raise RuleViolation(
            f"name: you already have a view called {exists.name!r}; add --replace to replace it"
        ) from None
    print(display_safe(f"view {saved.name!r} saved: {saved.query}"))
    return 0


def delete_view(args: argparse.Namespace) -> int:
    deleted = board_from(args).delete_view(args.name)
    print(display_safe(f"view {deleted.name!r} deleted"))
    return 0
