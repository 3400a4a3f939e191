"""Entry point: parse, open the board, run one command, map refusals to exit codes.

Exit codes: 0 done; 1 the database cannot be used (unreachable, locked by
other writers, or newer than this dealboard); 2 bad usage or bad input;
3 refused by a rule; 4 someone else changed the record first. Errors are one
line on stderr, never a traceback.

Only the standard library is imported up front, so `--version` and `--help`
never load SQLAlchemy, the domain or the UI; each command loads what it uses.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence

from dealboard.cli.commands import add_commands
from dealboard.cli.parser import build_parser

EXIT_OK, EXIT_ENVIRONMENT, EXIT_INPUT, EXIT_RULE, EXIT_CONFLICT = 0, 1, 2, 3, 4


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    parser = build_parser()
    add_commands(parser)
    try:
        args = parser.parse_args(argv)  # imports the command's module, the domain, SQLAlchemy
    except SystemExit as exit_:  # --help, --version, or a usage error already reported
        return exit_.code if isinstance(exit_.code, int) else EXIT_OK
    finally:
        _resume_collection()
    handler = getattr(args, "handler", open_the_board)
    try:
        from dealboard.cli.output import safe_streams

        with safe_streams():
            if args.theme is not None:
                from dealboard.cli.launch import check_theme

                check_theme(args.theme)
            return handler(args) or EXIT_OK
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:
        refusal = refused(exc)
        if refusal is None:
            raise
        return _fail(*refusal)


def open_the_board(args: argparse.Namespace) -> int:
    """`dealboard` alone: the interactive board on a terminal, the text board otherwise."""
    from dealboard.cli.session import run_board

    return run_board(args)


def refused(error: Exception) -> tuple[str, int] | None:
    """The one-line message and exit code for an error the user can act on; None for a bug.

    The error classes are imported here rather than at the top: whichever one
    was raised has been imported already, so this costs nothing, while
    `dealboard --version` never loads SQLAlchemy just to name its errors.
    """
    from dealboard.resources import ResourceMissing

    if isinstance(error, ResourceMissing):
        return f"database error: {_first_line(error)}", EXIT_ENVIRONMENT
    if isinstance(error, OSError) and error.errno is not None:
        return _os_error(error), EXIT_ENVIRONMENT
    driver = _missing_driver(error)
    if driver is not None:
        return (
            f"cannot use the database: no driver for {driver}; dealboard works with "
            "sqlite:///PATH and postgresql+psycopg://USER@HOST/DB",
            EXIT_ENVIRONMENT,
        )
    from dealboard.domain.errors import Busy, Conflict, DealboardError, RuleViolation

    if isinstance(error, RuleViolation):
        return str(error), EXIT_RULE
    if isinstance(error, Conflict):
        from dealboard.domain.conflicts import command_line_message

        return command_line_message(error), EXIT_CONFLICT
    if isinstance(error, Busy):
        return str(error), EXIT_ENVIRONMENT
    if isinstance(error, DealboardError):
        return str(error), EXIT_INPUT
    from dealboard.db.migrate import DatabaseTooNew

    if isinstance(error, DatabaseTooNew):
        return str(error), EXIT_ENVIRONMENT
    from sqlalchemy.exc import OperationalError, SQLAlchemyError

    from dealboard.db.database import is_transient

    if isinstance(error, OperationalError):
        if is_transient(error):
            return "the database is busy: other writers kept it locked; try again", EXIT_ENVIRONMENT
        return f"cannot use the database: {_first_line(error.orig or error)}", EXIT_ENVIRONMENT
    if isinstance(error, SQLAlchemyError):
        return f"database error: {_first_line(error)}", EXIT_ENVIRONMENT
    return None


def _os_error(error: OSError) -> str:
    """`standard output: No space left on device`; pending output is dropped, not retried.

    When stdout itself failed, its buffer still holds what could not be
    written, and Python would try again at exit and print a traceback-like
    warning; pointing stdout at /dev/null lets that last flush succeed.
    """
    reason = error.strerror or type(error).__name__
    if error.filename is None:
        return reason
    if error.filename == "standard output":
        _drop_pending_stdout()
    return f"{error.filename}: {reason}"


def _drop_pending_stdout() -> None:
    import os

    try:
        stdout = sys.__stdout__.fileno() if sys.__stdout__ is not None else None
    except (OSError, ValueError):
        return
    if stdout is not None:
        os.dup2(os.open(os.devnull, os.O_WRONLY), stdout)


def _missing_driver(error: Exception) -> str | None:
    """The database kind named in `--db` when SQLAlchemy has no dialect or driver for it.

    `mysql://…` fails inside SQLAlchemy's mysql dialect with ModuleNotFoundError
    (no MySQLdb); `foo://…` with NoSuchModuleError. A ModuleNotFoundError
    from anywhere else is a broken install, a bug: it is not mapped.
    """
    from sqlalchemy.exc import NoSuchModuleError

    if isinstance(error, NoSuchModuleError):
        return str(error).rsplit(":", 1)[-1].strip() or "that database"
    if not isinstance(error, ModuleNotFoundError):
        return None
    from sqlalchemy.engine import URL

    traceback = error.__traceback__
    while traceback is not None:
        frame = traceback.tb_frame
        if frame.f_code.co_filename.replace("\\", "/").endswith("sqlalchemy/engine/create.py"):
            url = next((v for v in frame.f_locals.values() if isinstance(v, URL)), None)
            return url.drivername if url is not None else (error.name or "that database")
        traceback = traceback.tb_next
    return None


def _first_line(error: object) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _fail(message: str, code: int) -> int:
    """One line on stderr; the message often quotes user input, so it is cleaned here too."""
    from dealboard.domain.text import display_safe

    line = " ".join(display_safe(message).split("\n"))
    sys.stderr.write(f"dealboard: {line}\n")
    return code


def _resume_collection() -> None:
    """Let the garbage collector run again once the command's modules are loaded.

    `run()` pauses it while they load: importing SQLAlchemy, the models and
    the domain creates some 100,000 objects that live as long as the process,
    and collections in the middle of that scan them over and over (a quarter
    to a third of `dealboard deal show`). Frozen, they are left out of every
    later collection too. Does nothing when the collector was not paused
    (tests calling `main`).
    """
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def run() -> None:
    """Console-script entry point."""
    gc.disable()  # resumed by `main` as soon as the command's modules are loaded
    raise SystemExit(main())
