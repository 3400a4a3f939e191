"""`dealboard init | demo | db … | pipeline … | user …`: setting a board up and looking after it."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from sqlalchemy.engine import URL

from dealboard.cli.launch import on_a_terminal, open_board_ui
from dealboard.cli.output import table
from dealboard.cli.revision_commands import revision_arguments
from dealboard.cli.session import board_from, where
from dealboard.db import migrate, sharing
from dealboard.db.engine import resolve_database_url
from dealboard.domain import presence
from dealboard.domain.board import open_board
from dealboard.domain.demo import seed_demo
from dealboard.domain.errors import DealboardError
from dealboard.domain.pipeline_spec import (
    builtin_template_names,
    load_builtin,
    load_file,
    to_toml,
)


def init_arguments(init: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard init [--template NAME] [--demo] [--shared GROUP]`."""
    templates = ", ".join(builtin_template_names())
    init.add_argument("--template", metavar="NAME", help=f"pipeline template: {templates}")
    init.add_argument("--demo", action="store_true", help="add about 40 realistic demo deals")
    init.add_argument(
        "--shared",
        metavar="GROUP",
        help="SQLite: let this Unix group use the board (directory 2770, files 0660)",
    )
    init.set_defaults(handler=init_board)


def demo_arguments(demo: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard demo`."""
    demo.set_defaults(handler=demo_board)


def db_arguments(db: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard db upgrade | current | history`."""
    db_actions = db.add_subparsers(
        title="db commands", metavar="ACTION", required=True, parser_class=type(db)
    )
    db_actions.add_parser(
        "upgrade", parents=[common], help="apply pending migrations"
    ).set_defaults(handler=db_upgrade)
    db_actions.add_parser(
        "current", parents=[common], help="show the schema revision"
    ).set_defaults(handler=db_current)
    db_actions.add_parser("history", parents=[common], help="list the migrations").set_defaults(
        handler=db_history
    )


def pipeline_arguments(pipeline: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard pipeline list | export | import | revisions`."""
    p_actions = pipeline.add_subparsers(
        title="pipeline commands", metavar="ACTION", required=True, parser_class=type(pipeline)
    )
    p_actions.add_parser("list", parents=[common], help="pipelines on the board").set_defaults(
        handler=pipeline_list
    )
    export = p_actions.add_parser("export", parents=[common], help="print a pipeline as TOML")
    export.add_argument(
        "name",
        metavar="NAME",
        nargs="?",
        help="pipeline on the board, or a shipped template (default: the first)",
    )
    export.set_defaults(handler=pipeline_export)
    load = p_actions.add_parser(
        "import", parents=[common], help="create or update a pipeline from a TOML file"
    )
    load.add_argument("file", metavar="FILE", type=Path)
    load.set_defaults(handler=pipeline_import)
    revision_arguments(p_actions, common)


def user_arguments(user: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard user list | add | role`."""
    u_actions = user.add_subparsers(
        title="user commands", metavar="ACTION", required=True, parser_class=type(user)
    )
    u_actions.add_parser("list", parents=[common], help="everyone on the board").set_defaults(
        handler=user_list
    )
    add = u_actions.add_parser("add", parents=[common], help="add a teammate")
    add.add_argument("name", metavar="LOGIN")
    add.add_argument("--display-name", default="", metavar="NAME")
    add.add_argument("--role", default="rep", choices=("rep", "manager"))
    add.set_defaults(handler=user_add)
    role = u_actions.add_parser("role", parents=[common], help="make someone a rep or manager")
    role.add_argument("name", metavar="LOGIN")
    role.add_argument("role", choices=("rep", "manager"))
    role.set_defaults(handler=user_role)


def init_board(args: argparse.Namespace) -> int:
    template = args.template or "seven-step"
    load_builtin(template)  # refuse an unknown template before creating anything
    url = resolve_database_url(args.db)
    try:
        shared = sharing.shared_board(url, args.shared) if args.shared else None
        folder = sharing.share_directory(shared) if shared else None
        board = board_from(args, create=True, first_template=None)
        try:
            added = board.add_template(template)
            pipeline = board.pipeline(template)
            state = "created" if added else "already on the board"
            print(
                f"board at {where(args)}: pipeline {pipeline.name} {state} "
                f"({len(pipeline.open_stages)} open stages)"
            )
            if args.demo:
                count = seed_demo(board, pipeline.name)
                print(f"added {count} demo deals; try `dealboard deal list` or `dealboard board`")
        finally:
            board.database.dispose()  # closes the connections: SQLite removes -wal and -shm
        files = sharing.share_files(shared) if shared else []
    except sharing.SharingRefused as exc:
        raise DealboardError(str(exc)) from None
    except sharing.SharingNotPermitted as exc:
        sys.stderr.write(f"dealboard: {exc}\n")
        return 1
    if shared and folder:
        print_sharing(shared, [folder, *files])
    return 0


def print_sharing(shared: sharing.SharedBoard, done: list[sharing.Permissions]) -> None:
    """What `init --shared` set, and what teammates must do to use the board."""
    print(f"shared with group {shared.group}:")
    width = max(len(str(item.path)) for item in done)
    for item in done:
        what = "directory, setgid: new files join the group" if item.path.is_dir() else "file"
        state = "" if item.changed else " (already so)"
        print(f"  {item.path!s:<{width}}  mode {item.mode_text}, {what}{state}")
    print(
        f"teammates must be in group {shared.group} (`sudo usermod -aG {shared.group} LOGIN`, "
        "then log in again)\nand use the same database:\n"
        f"  export DEALBOARD_DATABASE_URL={shared.url_for_teammates}"
    )
    if sharing.is_default_location(shared.path):
        print(
            f"warning: {shared.folder} is inside your home directory, which others usually "
            "cannot enter; a shared board belongs in a place like /srv/sales "
            "(--db sqlite:////srv/sales/board.sqlite3)"
        )
    elif (blocked := sharing.blocked_ancestor(shared.folder, shared.gid)) is not None:
        print(
            f"warning: {blocked} is closed to group {shared.group}, so teammates cannot reach "
            "the board; choose a place like /srv/sales (--db sqlite:////srv/sales/board.sqlite3)"
        )
    print("`dealboard doctor` checks the set-up at any time")


def demo_board(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="dealboard-demo-") as folder:
        url = URL.create("sqlite+pysqlite", database=str(Path(folder) / "demo.sqlite3"))
        board = open_board(url, create=True)
        try:
            seed_demo(board, board.pipeline().name)
            open_board_ui(board, mouse=not args.no_mouse, theme=args.theme)
            if not on_a_terminal():
                print(
                    "\nThis demo board is thrown away on exit; `dealboard init --demo` keeps one."
                )
        finally:
            board.database.dispose()
    return 0


def db_upgrade(args: argparse.Namespace) -> int:
    url = resolve_database_url(args.db)
    presence.require_board_file(url)
    if migrate.schema_state(url).current is None:
        raise presence.NoBoard(
            f"{where(args)} holds no dealboard board to upgrade; `dealboard init` creates one"
        )
    before = migrate.upgrade(url)
    head = migrate.head_revision()
    if before.up_to_date:
        print(f"{where(args)}: already at the newest schema ({head})")
    else:
        print(f"{where(args)}: upgraded from {before.current or 'empty'} to {head}")
    return 0


def db_current(args: argparse.Namespace) -> int:
    url = resolve_database_url(args.db)
    presence.require_board_file(url)
    state = migrate.schema_state(url)
    if not state.known:
        raise migrate.DatabaseTooNew(migrate.too_new_message(state))
    if state.current is None:
        print(f"{where(args)}: no schema yet (newest available: {state.head})")
    elif state.up_to_date:
        print(f"{state.current} (head) at {where(args)}")
    else:
        print(
            f"{state.current} at {where(args)}; {state.head} is available: "
            "any dealboard command or `dealboard db upgrade` applies it"
        )
    return 0


def db_history(args: argparse.Namespace) -> int:
    url = resolve_database_url(args.db)
    state = migrate.schema_state(url)
    for revision in reversed(migrate.history()):
        marks = []
        if revision.revision == state.head:
            marks.append("head")
        if revision.revision == state.current:
            marks.append("current")
        suffix = f" ({', '.join(marks)})" if marks else ""
        print(
            f"{revision.down_revision or '<base>'} -> {revision.revision}{suffix}: "
            f"{revision.message}"
        )
    return 0


def pipeline_list(args: argparse.Namespace) -> int:
    rows = [
        [p.name, p.title, str(len(p.open_stages)), p.currency] for p in board_from(args).pipelines()
    ]
    print(table(["NAME", "TITLE", "OPEN STAGES", "CURRENCY"], rows, [16, 40, 11, 8], whole=(0,)))
    return 0


def pipeline_export(args: argparse.Namespace) -> int:
    board = board_from(args)
    names = {p.name for p in board.pipelines()}
    if args.name is None or args.name in names:
        spec = board.export_pipeline(args.name)
    else:
        spec = load_builtin(args.name)
    print(to_toml(spec), end="")
    return 0


def pipeline_import(args: argparse.Namespace) -> int:
    spec = load_file(args.file)
    created = board_from(args).import_pipeline(spec)
    print(f"pipeline {spec.name} {'created' if created else 'updated'} ({len(spec.stages)} stages)")
    return 0


def user_list(args: argparse.Namespace) -> int:
    rows = [[u.name, u.display_name, u.role.value] for u in board_from(args).users()]
    print(table(["LOGIN", "NAME", "ROLE"], rows, [16, 30, 8], whole=(0,)))
    return 0


def user_add(args: argparse.Namespace) -> int:
    user = board_from(args).add_user(args.name, args.display_name, args.role)
    print(f"added {user.name} as {user.role.value}")
    return 0


def user_role(args: argparse.Namespace) -> int:
    user = board_from(args).set_role(args.name, args.role)
    print(f"{user.name} is now a {user.role.value}")
    return 0
