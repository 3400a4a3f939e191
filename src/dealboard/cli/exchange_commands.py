"""`dealboard import` and `dealboard export`: deals from other CRMs in, whole boards out and back.

CSV (and .xlsx) imports go through the same rules as a deal typed on the board
and are all or nothing; every problem is named with the flag that fixes it, all
of them in one run, a column's bad rows grouped (`FILE:LINE: column "C": reason`).
JSON is dealboard's own export, restored into an empty database with every
id kept. Formats and header names are documented in the README and in
`dealboard.domain.exchange`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from dealboard.cli.output import dumps
from dealboard.cli.session import board_from
from dealboard.db.engine import resolve_database_url
from dealboard.domain.board import Board
from dealboard.domain.errors import DealboardError, InvalidInput
from dealboard.domain.exchange.csv_columns import FIELDS
from dealboard.domain.exchange.csv_dates import DateColumn, parse_date_format
from dealboard.domain.exchange.csv_plan import CsvOptions, ImportPlan
from dealboard.domain.exchange.csv_source import MAX_FILE_BYTES as MAX_CSV_BYTES
from dealboard.domain.exchange.problems import ImportRefused, grouped
from dealboard.domain.exchange.restore import MAX_FILE_BYTES as MAX_JSON_BYTES
from dealboard.domain.exchange.restore import RestoreResult, checked_export
from dealboard.domain.exchange.xlsx import OLE_MAGIC, ZIP_MAGIC
from dealboard.domain.presence import NoBoard
from dealboard.domain.text import display_safe

EXIT_INPUT = 2


def import_arguments(load: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard import FILE [--format csv|json] [--map COLUMN=FIELD] … [--dry-run]`."""
    load.description = (
        "CSV or .xlsx: one deal per row; headers are matched to fields as Salesforce, "
        "HubSpot, Pipedrive and Zoho export them (Deal Name, StageName, dealstage, "
        "Deal - Value…). All or nothing; a dry run lists every problem with its fix, and "
        "the summary says every value the import supplied. "
        "JSON: a `dealboard export`, restored into an empty database with every id kept."
    )
    load.add_argument("file", metavar="FILE", help="the file to read (- for standard input)")
    load.add_argument(
        "--format",
        choices=("csv", "xlsx", "json"),
        help="default: json for *.json files, xlsx for *.xlsx (Excel) files, else csv",
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
        "--all-in",
        metavar="STAGE",
        help="CSV: put every deal in this stage (the file's stages are not read)",
    )
    load.add_argument(
        "--created-default",
        metavar="DATE",
        help="CSV: the creation date of deals whose row has none (default: the import time)",
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
    """`dealboard export [--format json|csv|xlsx] [--pipeline P] [-o FILE]`."""
    export.add_argument(
        "--format",
        choices=("json", "csv", "xlsx"),
        help="default: xlsx for -o *.xlsx, else json",
    )
    export.add_argument("--pipeline", metavar="P", help="only this pipeline and its deals")
    export.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE (default: standard output)"
    )
    export.set_defaults(handler=export_board)


# -- import -------------------------------------------------------------------


def import_file(args: argparse.Namespace) -> int:
    suffix = args.file.lower().rpartition(".")[2]
    fmt = args.format or {"json": "json", "xlsx": "xlsx"}.get(suffix, "csv")
    data, name = _read(args.file, MAX_JSON_BYTES if fmt == "json" else MAX_CSV_BYTES)
    if fmt == "json":
        return _restore(args, data, name)
    if args.format is None and data.startswith((ZIP_MAGIC, OLE_MAGIC)):
        fmt = "xlsx"  # a workbook saved under another name, or on standard input
    options = CsvOptions(
        pipeline=args.pipeline,
        maps=tuple(args.maps),
        stage_maps=tuple(args.stage_maps),
        date_format=parse_date_format(args.date_format),
        all_in=args.all_in.strip() if args.all_in else None,
        created_default=_created_default(args.created_default),
        workbook=fmt == "xlsx",
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


def _created_default(raw: str | None) -> datetime | None:
    """`--created-default 2024-01-31`: that day's local midnight, as a UTC instant."""
    if raw is None:
        return None
    try:
        return DateColumn("--created-default", "--created-default", [], None).instant(raw)
    except InvalidInput as exc:
        raise InvalidInput("--created-default", raw, exc.accepted) from None


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
        ("--all-in", args.all_in),
        ("--created-default", args.created_default),
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
    for line in grouped(refused.problems):
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
        if plan.accounts_new or plan.accounts_matched:
            lines.append(
                f"  accounts: {plan.accounts_new:,} new, "
                f"{plan.accounts_matched:,} already on the board (matched by name)"
            )
    users = new_users if not dry_run else tuple(plan.new_users)
    if users:
        named = ", ".join(
            f"{login} ({plan.new_users[login]})" if plan.new_users.get(login) != login else login
            for login in users
        )
        lines.append(f"  new users (reps): {named}")
    if count:
        lines.extend(_invented(plan))
    if plan.columns.used:
        used = ", ".join(f"{header!r} → {field}" for header, field in plan.columns.used)
        lines.append(f"  columns: {used}")
    if plan.stage_column_guessed:
        lines.append(
            f"  stages read from {plan.stage_column_guessed!r} (it looks like one and "
            "--stage-map was given)"
        )
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
    lines.append(f"  read as {plan.read_as}")
    if dry_run:
        lines.append("dry run: nothing was written")
    print("\n".join(display_safe(line) for line in lines))


def _invented(plan: ImportPlan) -> list[str]:
    """What the file did not say and the import supplied, so nothing is made up silently."""
    invented, lines = plan.invented, []
    if plan.all_in is not None:
        lines.append(f"  every deal put in {plan.all_in} (--all-in); the file's stages not read")
    if invented["stage"]:
        lines.append(
            f"  {_count(invented['stage'], 'open deal')} had no stage: put in the pipeline's "
            "first stage (--all-in STAGE picks another)"
        )
    if invented["created"]:
        when = plan.created_default or plan.imported_at
        lines.append(
            f"  {_count(invented['created'], 'deal')} had no creation date: created "
            f"{when:%Y-%m-%d %H:%M} UTC{'' if plan.created_default else ' (the import time)'}; "
            "set another with --created-default DATE"
        )
    if invented["closed from expected close"]:
        lines.append(
            f"  {_count(invented['closed from expected close'], 'won or lost deal')} had no "
            "closed date: closed on their expected close date (Salesforce and HubSpot keep the "
            "closing day there)"
        )
    if invented["owner"]:
        lines.append(
            f"  {_count(invented['owner'], 'deal')} had no owner: owned by you "
            "(--map 'COLUMN=owner' reads another column)"
        )
    if plan.tag_example is not None:
        raw, tag = plan.tag_example
        lines.append(f"  tags made lower-case with dashes, e.g. {raw!r} → {tag!r}")
    return lines


def _count(number: int, word: str) -> str:
    if number == 1:
        return f"1 {word}"
    plural = word[:-1] + "ies" if word.endswith("y") else word + "s"
    return f"{number:,} {plural}"


# -- export -------------------------------------------------------------------


def export_board(args: argparse.Namespace) -> int:
    fmt = args.format
    if fmt is None:
        xlsx = args.output is not None and args.output.lower().endswith(".xlsx")
        fmt = "xlsx" if xlsx else "json"
    if fmt == "xlsx":
        return _export_workbook(args)
    board = board_from(args)
    try:
        text = _exported(board, fmt, args.pipeline)
    finally:
        board.database.dispose()
    if args.output is None:
        sys.stdout.write(text)
        sys.stdout.flush()  # a full disk is reported here, as one line, not at exit
        return 0
    # A BOM lets Excel read a UTF-8 CSV file's accents; JSON never has one.
    _write_file(Path(args.output), text, bom=fmt == "csv")
    print(display_safe(f"exported to {args.output}"))
    return 0


def _export_workbook(args: argparse.Namespace) -> int:
    """An .xlsx workbook goes to a file, never to a terminal."""
    if args.output is None:
        raise InvalidInput("--format", "xlsx", "write a workbook to a file with -o FILE.xlsx")
    board = board_from(args)
    try:
        data = board.export_xlsx(args.pipeline)
    finally:
        board.database.dispose()
    _write_file(Path(args.output), data, bom=False)
    print(display_safe(f"exported to {args.output}"))
    return 0


def _exported(board: Board, fmt: str, pipeline: str | None) -> str:
    if fmt == "csv":
        return board.export_csv(pipeline)
    return dumps(board.export_json(pipeline)) + "\n"


def _write_file(path: Path, text: str | bytes, *, bom: bool) -> None:
    """A regular file is replaced atomically; a device or pipe (`/dev/stdout`) is written to.

    Renaming over `/dev/full` or a named pipe would replace the device node
    itself, so anything that exists and is not a regular file is opened and
    written in place. Write errors (a full disk) carry the file's name, so
    the CLI reports them in one line.
    """
    encoding = "utf-8-sig" if bom else "utf-8"
    data = text if isinstance(text, bytes) else text.encode(encoding)
    try:
        if path.exists() and not path.is_file():
            with path.open("wb") as out:
                out.write(data)
            return
        _write_atomically(path, data)
    except OSError as exc:
        if exc.filename is not None or isinstance(exc, BrokenPipeError):
            raise
        raise OSError(exc.errno, exc.strerror, str(path)) from None


def _write_atomically(path: Path, data: bytes) -> None:
    """Write beside the target, then rename: a reader never sees half a file."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    except OSError as exc:
        raise InvalidInput("--output", str(path), f"cannot write there ({exc.strerror})") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
