"""`dealboard import` and `dealboard export`: deals from other CRMs in, whole boards out and back.

CSV imports go through the same rules as a deal typed on the board and are
all or nothing; every problem is one line `FILE:LINE: column "C": reason`.
JSON is dealboard's own export, restored into an empty database with every
id kept. Formats and header names are documented in the README and in
`dealboard.domain.exchange`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from dealboard.cli.output import dumps
from dealboard.cli.session import board_from
from dealboard.db.engine import resolve_database_url
from dealboard.domain.board import Board
from dealboard.domain.errors import DealboardError, InvalidInput
from dealboard.domain.exchange.csv_columns import FIELDS
from dealboard.domain.exchange.csv_dates import parse_date_format
from dealboard.domain.exchange.csv_plan import CsvOptions, ImportPlan
from dealboard.domain.exchange.csv_source import MAX_FILE_BYTES as MAX_CSV_BYTES
from dealboard.domain.exchange.problems import ImportRefused
from dealboard.domain.exchange.restore import MAX_FILE_BYTES as MAX_JSON_BYTES
from dealboard.domain.exchange.restore import RestoreResult, checked_export
from dealboard.domain.presence import NoBoard
from dealboard.domain.text import display_safe

EXIT_INPUT = 2


def import_arguments(load: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard import FILE [--format csv|json] [--map COLUMN=FIELD] … [--dry-run]`."""
    load.description = (
        "CSV: one deal per row; headers are matched to fields (Deal Name, Amount, "
        "Stage, Owner, Close Date… as other CRMs export them). All or nothing. "
        "JSON: a `dealboard export`, restored into an empty database with every id kept."
    )
    load.add_argument("file", metavar="FILE", help="the file to read (- for standard input)")
    load.add_argument(
        "--format", choices=("csv", "json"), help="default: json for *.json files, else csv"
    )
    load.add_argument(
        "--pipeline", metavar="P", help="CSV: the pipeline the deals go into (default: the first)"
    )
    load.add_argument(
        "--map",
        dest="maps",
        metavar="COLUMN=FIELD",
        action="append",
        default=[],
        help=f"CSV: read a column as a field ({', '.join(FIELDS)}) or 'skip' it",
    )
    load.add_argument(
        "--stage-map",
        dest="stage_maps",
        metavar="NAME=STAGE",
        action="append",
        default=[],
        help="CSV: put deals of the file's stage NAME into the pipeline's STAGE",
    )
    load.add_argument(
        "--date-format",
        metavar="DMY|MDY|PATTERN",
        help="CSV: how to read dates like 03/04/2026 (day first, month first, or e.g. %%d/%%m/%%Y)",
    )
    load.add_argument(
        "--lost-from",
        metavar="COLUMN",
        help="CSV: the column naming the stage a closed deal was lost (or won) from "
        "(found by itself when named Lost stage, Last stage or Stage lost from)",
    )
    load.add_argument(
        "--dry-run",
        action="store_true",
        help="check the file and say what would be imported; write nothing",
    )
    load.set_defaults(handler=import_file)


def export_arguments(export: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard export [--format json|csv] [--pipeline P] [-o FILE]`."""
    export.add_argument("--format", choices=("json", "csv"), default="json", help="default: json")
    export.add_argument("--pipeline", metavar="P", help="only this pipeline and its deals")
    export.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE (default: standard output)"
    )
    export.set_defaults(handler=export_board)


# -- import -------------------------------------------------------------------


def import_file(args: argparse.Namespace) -> int:
    fmt = args.format or ("json" if args.file.lower().endswith(".json") else "csv")
    data, name = _read(args.file, MAX_JSON_BYTES if fmt == "json" else MAX_CSV_BYTES)
    if fmt == "json":
        return _restore(args, data, name)
    options = CsvOptions(
        pipeline=args.pipeline,
        maps=tuple(args.maps),
        stage_maps=tuple(args.stage_maps),
        date_format=parse_date_format(args.date_format),
        lost_from=args.lost_from,
    )
    board = board_from(args)
    try:
        try:
            plan = board.plan_csv_import(data, name, options)
        except ImportRefused as refused:
            return _refused(refused, name, dry_run=args.dry_run)
        if args.dry_run:
            _print_plan(plan, dry_run=True)
            if plan.problems:
                return _refused(ImportRefused(plan.problems), name, dry_run=True)
            return 0
        if plan.problems:
            return _refused(ImportRefused(plan.problems), name, dry_run=False)
        result = board.import_csv(plan)
    finally:
        board.database.dispose()
    _print_plan(plan, dry_run=False, new_users=result.new_users)
    return 0


def _read(file: str, limit: int) -> tuple[bytes, str]:
    """The file's bytes; a bigger file than `limit` is refused unread (by its size, or after
    `limit` bytes for a pipe or standard input)."""
    name = "<stdin>" if file == "-" else file
    try:
        if file == "-":
            data = sys.stdin.buffer.read(limit + 1)
        else:
            with Path(file).open("rb") as opened:
                if os.fstat(opened.fileno()).st_size > limit:  # 0 for pipes and devices
                    raise _too_big(name, limit)
                data = opened.read(limit + 1)
    except FileNotFoundError:
        raise DealboardError(f"{file}: no such file") from None
    except IsADirectoryError:
        raise DealboardError(f"{file}: a folder; give a CSV or JSON file") from None
    except OSError as exc:
        raise DealboardError(f"{file}: cannot be read ({exc.strerror})") from None
    if len(data) > limit:
        raise _too_big(name, limit)
    return data, name


def _too_big(name: str, limit: int) -> DealboardError:
    return DealboardError(f"{name}: over {limit:,} bytes; dealboard imports files up to that")


def _restore(args: argparse.Namespace, data: bytes, name: str) -> int:
    for option, given in (
        ("--pipeline", args.pipeline),
        ("--map", args.maps),
        ("--stage-map", args.stage_maps),
        ("--date-format", args.date_format),
        ("--lost-from", args.lost_from),
    ):
        if given:
            raise InvalidInput(
                option, given, "only CSV imports take it; a JSON export is restored whole"
            )
    try:
        result = _restored(args, data, name)
    except ImportRefused as refused:
        return _refused(refused, name, dry_run=args.dry_run)
    counts = result.counts
    parts = [f"{_count(counts.get(t, 0), word)}" for t, word in _RESTORE_SUMMARY]
    scope = f" (pipeline {result.pipeline})" if result.pipeline else ""
    verb = "would restore" if args.dry_run else "restored"
    print(display_safe(f"{name}: {verb} {', '.join(parts)}{scope}"))
    total = sum(counts.values())
    print(f"  {total:,} rows in {sum(1 for n in counts.values() if n)} tables, ids kept")
    if args.dry_run:
        print("dry run: nothing was written")
    return 0


def _restored(args: argparse.Namespace, data: bytes, name: str) -> RestoreResult:
    """Restore a whole export, checked before any database is opened.

    A whole board may go where there is none yet: that place becomes a new
    board, but only once the file passed every check and it is not a dry run.
    """
    postgres = resolve_database_url(args.db).get_backend_name() == "postgresql"
    export = checked_export(data, name, postgres=postgres)
    try:
        board = board_from(args)
    except NoBoard:
        if args.dry_run:
            return export.result
        board = board_from(args, create=True, first_template=None)
    try:
        return board.restore_checked(export, dry_run=args.dry_run)
    finally:
        board.database.dispose()


_RESTORE_SUMMARY = (
    ("pipelines", "pipeline"),
    ("users", "user"),
    ("deals", "deal"),
    ("activities", "activity"),
    ("audit_log", "history row"),
)


def _refused(refused: ImportRefused, name: str, *, dry_run: bool) -> int:
    for line in refused.lines(limit=None if dry_run else 20):
        sys.stderr.write(display_safe(line) + "\n")
    count = len(refused.problems)
    problems = "1 problem" if count == 1 else f"{count} problems"
    if dry_run:
        message = f"{name} would be refused ({problems}); nothing was written"
    else:
        message = f"{name} was not imported ({problems}); nothing was written"
    sys.stderr.write(display_safe(f"dealboard: {message}") + "\n")
    return EXIT_INPUT


def _print_plan(plan: ImportPlan, *, dry_run: bool, new_users: tuple[str, ...] = ()) -> None:
    lines = []
    count = len(plan.deals)
    pipelines = sorted({plan.pipelines[d.pipeline_id] for d in plan.deals})
    into = f" into {', '.join(pipelines)}" if pipelines else ""
    if dry_run and plan.problems:
        lines.append(
            f"{plan.file}: {_count(plan.rows, 'row')}, {count:,} of them ready to import{into}; "
            "the problems listed stop the import"
        )
    elif dry_run:
        lines.append(f"{plan.file}: {_count(count, 'deal')} would be imported{into}")
    else:
        lines.append(f"imported {_count(count, 'deal')} from {plan.file}{into}")
    tally = plan.counts()
    if count:
        status = ", ".join(f"{tally[k]:,} {k}" for k in ("open", "won", "lost") if tally[k])
        extra = []
        if tally["unknown reason"]:
            extra.append(f"{tally['unknown reason']:,} lost without a reason (unknown)")
        if tally["no closed date"]:
            extra.append(f"{tally['no closed date']:,} closed without a date")
        lines.append(f"  {status}" + (f" ({'; '.join(extra)})" if extra else ""))
        stages = ", ".join(f"{stage} {n:,}" for _, stage, n in plan.by_stage())
        lines.append(f"  stages: {stages}")
    users = new_users if not dry_run else tuple(plan.new_users)
    if users:
        named = ", ".join(
            f"{login} ({plan.new_users[login]})" if plan.new_users.get(login) != login else login
            for login in users
        )
        lines.append(f"  new users (reps): {named}")
    if plan.columns.used:
        used = ", ".join(f"{header!r} → {field}" for header, field in plan.columns.used)
        lines.append(f"  columns: {used}")
    if plan.columns.skipped:
        skipped = ", ".join(f"{header!r} ({why})" for header, why in plan.columns.skipped)
        lines.append(f"  skipped columns: {skipped}; read one with --map 'COLUMN=field'")
    orders: dict[str, list[str]] = {}
    for header, order in plan.date_orders.items():
        orders.setdefault(order, []).append(repr(header))
    for order, headers in orders.items():
        lines.append(f"  dates read as {order}: {', '.join(headers)}")
    for header in plan.decimal_comma:
        lines.append(f"  amounts in {header!r} read with a decimal comma (12.500,50)")
    lines.append(f"  read as {plan.delimiter_name}-separated UTF-8")
    if dry_run:
        lines.append("dry run: nothing was written")
    print("\n".join(display_safe(line) for line in lines))


def _count(number: int, word: str) -> str:
    if number == 1:
        return f"1 {word}"
    plural = word[:-1] + "ies" if word.endswith("y") else word + "s"
    return f"{number:,} {plural}"


# -- export -------------------------------------------------------------------


def export_board(args: argparse.Namespace) -> int:
    board = board_from(args)
    try:
        text = _exported(board, args.format, args.pipeline)
    finally:
        board.database.dispose()
    if args.output is None:
        sys.stdout.write(text)
        sys.stdout.flush()  # a full disk is reported here, as one line, not at exit
        return 0
    # A BOM lets Excel read a UTF-8 CSV file's accents; JSON never has one.
    _write_file(Path(args.output), text, bom=args.format == "csv")
    print(display_safe(f"exported to {args.output}"))
    return 0


def _exported(board: Board, fmt: str, pipeline: str | None) -> str:
    if fmt == "csv":
        return board.export_csv(pipeline)
    return dumps(board.export_json(pipeline)) + "\n"


def _write_file(path: Path, text: str, *, bom: bool) -> None:
    """A regular file is replaced atomically; a device or pipe (`/dev/stdout`) is written to.

    Renaming over `/dev/full` or a named pipe would replace the device node
    itself, so anything that exists and is not a regular file is opened and
    written in place. Write errors (a full disk) carry the file's name, so
    the CLI reports them in one line.
    """
    encoding = "utf-8-sig" if bom else "utf-8"
    try:
        if path.exists() and not path.is_file():
            with path.open("w", encoding=encoding, newline="") as out:
                out.write(text)
            return
        _write_atomically(path, text, encoding)
    except OSError as exc:
        if exc.filename is not None or isinstance(exc, BrokenPipeError):
            raise
        raise OSError(exc.errno, exc.strerror, str(path)) from None


def _write_atomically(path: Path, text: str, encoding: str) -> None:
    """Write beside the target, then rename: a reader never sees half a file."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as exc:
        raise InvalidInput("--output", str(path), f"cannot write there ({exc.strerror})") from None
    try:
        with os.fdopen(handle, "w", encoding=encoding, newline="") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
