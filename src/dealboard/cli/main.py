"""Entry point: parse, open the board, run one command, map refusals to exit codes.

Exit codes: 0 done; 1 the database cannot be used (unreachable, locked by
other writers, or newer than this dealboard); 2 bad usage or bad input;
3 refused by a rule; 4 someone else changed the record first. Errors are one
line on stderr, never a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from sqlalchemy.exc import OperationalError, SQLAlchemyError

from dealboard.cli.commands import add_commands
from dealboard.cli.launch import check_theme
from dealboard.cli.parser import build_parser
from dealboard.cli.session import run_board
from dealboard.db.database import is_transient
from dealboard.db.migrate import DatabaseTooNew
from dealboard.domain.errors import Busy, Conflict, DealboardError, RuleViolation
from dealboard.resources import ResourceMissing

EXIT_OK, EXIT_ENVIRONMENT, EXIT_INPUT, EXIT_RULE, EXIT_CONFLICT = 0, 1, 2, 3, 4


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    parser = build_parser()
    add_commands(parser)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, --version, or a usage error already reported
        return exit_.code if isinstance(exit_.code, int) else EXIT_OK
    handler = getattr(args, "handler", run_board)
    try:
        if args.theme is not None:
            check_theme(args.theme)
        return handler(args) or EXIT_OK
    except RuleViolation as exc:
        return _fail(str(exc), EXIT_RULE)
    except Conflict as exc:
        return _fail(str(exc), EXIT_CONFLICT)
    except Busy as exc:
        return _fail(str(exc), EXIT_ENVIRONMENT)
    except DealboardError as exc:
        return _fail(str(exc), EXIT_INPUT)
    except DatabaseTooNew as exc:
        return _fail(str(exc), EXIT_ENVIRONMENT)
    except OperationalError as exc:
        if is_transient(exc):
            busy = "the database is busy: other writers kept it locked; try again"
            return _fail(busy, EXIT_ENVIRONMENT)
        return _fail(f"cannot use the database: {_first_line(exc.orig or exc)}", EXIT_ENVIRONMENT)
    except (SQLAlchemyError, ResourceMissing) as exc:
        return _fail(f"database error: {_first_line(exc)}", EXIT_ENVIRONMENT)
    except KeyboardInterrupt:
        return _fail("interrupted", 130)
    except BrokenPipeError:
        return EXIT_OK


def _first_line(error: object) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _fail(message: str, code: int) -> int:
    sys.stderr.write(f"dealboard: {message}\n")
    return code


def run() -> None:
    """Console-script entry point."""
    raise SystemExit(main())
