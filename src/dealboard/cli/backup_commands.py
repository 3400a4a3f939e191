"""`dealboard backup [FILE]` and `dealboard restore FILE`: SQLite boards only.

PostgreSQL boards are backed up with the server's own tools (`pg_dump`,
`pg_restore`); both commands say so and exit 2. Restoring over an existing
board is for managers (exit 3 for anyone else). The work is done in
`dealboard.db.backup`; here are the words and the confirmation.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from dealboard.cli.session import board_from
from dealboard.db import backup as backups
from dealboard.db import leftovers
from dealboard.db.engine import resolve_database_url, sqlite_file
from dealboard.domain.errors import DealboardError
from dealboard.domain.text import display_safe


def backup_arguments(backup: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard backup [FILE] [--force]`."""
    backup.description = (
        "Take a consistent copy of the SQLite board with SQLite's online backup "
        "API (others may keep working), check it, and print where it is. The copy is private "
        "(0600), or shared with the board's group (0660) when the board is. PostgreSQL: use "
        "pg_dump."
    )
    backup.add_argument(
        "file",
        metavar="FILE",
        nargs="?",
        type=Path,
        help="where to write it, or a folder for it (default: backups/ beside the board, "
        "named BOARD-YYYYMMDD-HHMMSS.sqlite)",
    )
    backup.add_argument("--force", action="store_true", help="replace FILE if it exists")
    backup.set_defaults(handler=run_backup)


def restore_arguments(restore: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """`dealboard restore FILE [--yes]`."""
    restore.description = (
        "Check FILE (a SQLite database, whole, at a schema revision this dealboard "
        "knows), keep the current board aside as BOARD.before-restore-YYYYMMDD-HHMMSS, put "
        "FILE in its place and upgrade an older schema. Refused while the board is open "
        "anywhere. PostgreSQL: use pg_restore."
    )
    restore.add_argument("file", metavar="FILE", type=Path, help="a backup of a dealboard board")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    restore.set_defaults(handler=run_restore)


def run_backup(args: argparse.Namespace) -> int:
    """Write the copy and say where it is, how big, and what it holds."""
    url = resolve_database_url(args.db)
    try:
        info = backups.backup(url, args.file, now=datetime.now(UTC), force=args.force)
    except backups.BackupRefused as exc:
        raise DealboardError(str(exc)) from None
    except (backups.BackupFailed, OSError) as exc:
        return _fail(exc)
    print(
        f"backed up {_shown(info.path)} ({_size(info.size)}, {_deals(info.deals)}, "
        f"schema {info.revision or 'none'})"
    )
    return 0


def run_restore(args: argparse.Namespace) -> int:
    """Check the file, confirm, swap, upgrade; every refusal changes nothing."""
    url = resolve_database_url(args.db)
    _require_manager(args)
    try:
        result = backups.restore(
            url, args.file, now=datetime.now(UTC), confirm=lambda plan: _confirm(plan, args.yes)
        )
    except backups.BackupRefused as exc:
        raise DealboardError(str(exc)) from None
    except (backups.BackupFailed, OSError) as exc:
        return _fail(exc)
    if result is None:
        sys.stderr.write("dealboard: restore cancelled; nothing was changed\n")
        return 2
    plan = result.plan
    print(
        f"restored {_shown(plan.source.path)} ({_deals(plan.source.deals)}) to {_shown(plan.board)}"
    )
    if plan.aside is not None:
        print(f"the previous board is kept as {_shown(plan.aside)}")
    if result.upgraded_from is not None and plan.upgrade_to is not None:
        print(f"upgraded its schema from {result.upgraded_from} to {plan.upgrade_to}")
    return 0


def _require_manager(args: argparse.Namespace) -> None:
    """Only a manager may replace a team's board; a new board has no one to protect yet.

    The board is opened (and closed again) as the acting user, so a user it
    does not know joins as a rep and is refused like one.
    """
    path = sqlite_file(resolve_database_url(args.db))
    if path is None:
        return
    leftovers.settle_board(path)  # a board an older, killed restore left missing is a board
    if not path.is_file():
        return
    board = board_from(args)
    try:
        board.require_manager("restore a backup over this board")
    finally:
        board.database.dispose()


def _confirm(plan: backups.RestorePlan, yes: bool) -> bool:
    """Ask on a terminal; without one, `--yes` is required."""
    if yes:
        return True
    if not sys.stdin.isatty():
        raise DealboardError(
            f"restore replaces the board at {_shown(plan.board)}; add --yes to confirm "
            "(nothing was changed)"
        )
    source = plan.source
    print(
        f"restore {_shown(source.path)} (schema {source.revision}, {_deals(source.deals)}, "
        f"{_size(source.size)}) over the board at {_shown(plan.board)}"
    )
    if plan.aside is not None:
        print(f"the current board will be kept as {_shown(plan.aside)}")
    if plan.upgrade_to is not None:
        print(f"the restored board will then be upgraded to schema {plan.upgrade_to}")
    try:
        answer = input("Replace the board? [y/N] ")
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes")


def _fail(error: Exception) -> int:
    text = str(error) if not isinstance(error, OSError) else _os_error(error)
    sys.stderr.write(f"dealboard: {display_safe(text)}\n")
    return 1


def _os_error(error: OSError) -> str:
    where = f"{error.filename}: " if error.filename else ""
    return f"{where}{error.strerror or error}; nothing was changed"


def _shown(path: Path) -> str:
    return display_safe(str(path))


def _deals(count: int | None) -> str:
    if count is None:
        return "no deals table"
    return f"{count} deal{'s' if count != 1 else ''}"


def _size(size: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("kB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} bytes"
