"""Backing up a live SQLite board and putting a backup back (`dealboard backup | restore`).

Backup uses SQLite's online backup API in a single pass. The board runs in
WAL mode, where a reader never blocks a writer: the copy is one consistent
snapshot while teammates keep saving. (Copying in steps would not help in
WAL mode, and every commit by someone else would restart a stepped copy from
the beginning.) The copy is written beside its destination under a temporary
name, checked with `PRAGMA integrity_check`, switched to a single-file
journal mode, and only then renamed into place: a failed backup leaves nothing
that looks like a backup.

Restore checks the file first (SQLite header, integrity, a schema revision
this dealboard knows) and refuses, changing nothing, when any check fails or
when the board is open anywhere: leaving WAL mode needs every other
connection to be gone, so that doubles as the check. The swap never leaves
the board path empty: the current file first gets a second, hidden name (a
hard link; a copy where links are not supported), the checked copy is then
renamed over the board in one atomic step, and only then does the hidden
name become `<db>.before-restore-<time>`. A kill at any point leaves either
the old board or the new one in place; `leftovers` tidies up the rest on the
next run (see there), and every run first clears what dead runs left.

Backups are private (0600) unless the board is shared with a group (see
`sharing`), in which case they keep the board's group and mode 0660. A
restored board keeps the mode and group the current board had; a new one
follows `files` (0600, or 0660 in a shared folder).
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import stat
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import URL

from dealboard.db import files, leftovers, migrate
from dealboard.db.engine import SQLITE_BUSY_TIMEOUT_MS, is_sqlite, sqlite_file
from dealboard.db.files import PRIVATE_FILE_MODE, SHARED_DIRECTORY_MODE, SHARED_FILE_MODE
from dealboard.db.sharing import WAL_SUFFIXES

#: The first 16 bytes of every SQLite database file.
SQLITE_HEADER = b"SQLite format 3\x00"
#: The folder beside the board that default backups go into.
BACKUP_FOLDER = leftovers.BACKUPS
#: `os.link` errors that mean "this filesystem has no hard links", not "something is wrong".
_NO_HARD_LINKS = frozenset({errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK})


class BackupRefused(Exception):
    """The request cannot be carried out as given (wrong engine, bad file…); nothing changed."""


class BackupFailed(Exception):
    """The board or the copy cannot be used (missing, unreadable, in use, too new)."""


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds: its schema revision and how many deals."""

    path: Path
    size: int
    revision: str | None
    deals: int | None


@dataclass(frozen=True)
class RestorePlan:
    """What a restore is about to do; shown to the user before anything changes."""

    board: Path
    source: BackupInfo
    #: Where the current board will be kept (None: there is no current board).
    aside: Path | None
    #: The schema the restored board will be upgraded to (None: already the newest).
    upgrade_to: str | None


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did."""

    plan: RestorePlan
    #: The revision the restored file had before the upgrade (None: no upgrade was needed).
    upgraded_from: str | None


def backup(url: URL, target: Path | None, *, now: datetime, force: bool = False) -> BackupInfo:
    """Copy the live board at `url` to `target` (default: `backups/` beside the board)."""
    board = _board_file(url, "backup", "pg_dump")
    leftovers.settle_board(board)  # a restore killed by an older dealboard left no board
    if not board.is_file():
        raise BackupFailed(f"there is no board at {board}; nothing to back up")
    default_folder = board.parent / BACKUP_FOLDER
    target = target.expanduser().absolute() if target is not None else None
    if target is None or target.is_dir():
        folder = default_folder if target is None else target
        target = _free_name(folder, f"{board.stem}-{_stamp(now)}.sqlite")
    if _same_file(target, board):
        raise BackupRefused(f"{target} is the board itself; choose another FILE")
    if target.exists() and not force:
        raise BackupRefused(
            f"{target} already exists; choose another FILE or add --force to replace it"
        )
    mode, gid = _file_access(board)
    if target.parent == default_folder.absolute():
        _make_folder(default_folder, gid)
    elif not target.parent.is_dir():
        raise BackupRefused(f"{target.parent} is not a directory; create it or choose another FILE")
    leftovers.sweep(target.parent)
    with _temporary(target.parent, target.name, "partial", mode, gid) as partial:
        try:
            with closing(_connect(board, "rw")) as source, closing(_connect(partial)) as copy:
                source.backup(copy)
                info = _check_copy(copy, partial, board)
        except sqlite3.DatabaseError as exc:
            raise BackupFailed(f"cannot back up {board}: {exc}") from exc
        _sync(partial)
        os.replace(partial, target)
    _sync(target.parent)
    return BackupInfo(target, target.stat().st_size, info.revision, info.deals)


def restore(
    url: URL,
    source: Path,
    *,
    now: datetime,
    confirm: Callable[[RestorePlan], bool] = lambda _plan: True,
) -> RestoreResult | None:
    """Replace the board at `url` with the backup `source`; None when `confirm` said no.

    Every check runs before anything changes; a refusal leaves both files as they were.
    """
    board = _board_file(url, "restore", "pg_restore")
    source = source.expanduser().absolute()
    _check_source(source, board)
    known = {r.revision for r in migrate.history()}
    head = migrate.head_revision()
    files.make_folder(board.parent)
    leftovers.settle_board(board)
    mode, gid = _same_access(board) if board.exists() else _new_board_access(board.parent)
    with _temporary(board.parent, board.name, "restoring", mode, gid) as partial:
        try:
            with closing(_connect(source, "ro")) as original, closing(_connect(partial)) as copy:
                original.backup(copy)
                info = _check_copy(copy, partial, source)
        except sqlite3.DatabaseError as exc:
            raise BackupRefused(
                f"{source} is damaged ({exc}): it cannot be restored; nothing was changed"
            ) from exc
        if info.revision is None:
            raise BackupRefused(
                f"{source} is a SQLite database but not a dealboard board (it has no "
                "schema revision); nothing was changed"
            )
        if info.revision not in known:
            raise BackupFailed(
                f"{source} is at schema revision {info.revision}, newer than this dealboard "
                f"knows (newest: {head}); upgrade dealboard to restore it. Nothing was changed."
            )
        aside = leftovers.aside_name(board, now)
        plan = RestorePlan(
            board=board,
            source=BackupInfo(source, source.stat().st_size, info.revision, info.deals),
            aside=aside if board.exists() else None,
            upgrade_to=head if info.revision != head else None,
        )
        if not confirm(plan):
            return None
        _sync(partial)
        with _board_closed(board):
            kept = _second_name(board, mode, gid) if plan.aside is not None else None
            os.replace(partial, board)
            if kept is not None and plan.aside is not None:
                os.rename(kept, plan.aside)
    _sync(board.parent)
    upgraded_from = migrate.upgrade(url).current if plan.upgrade_to else None
    return RestoreResult(plan, upgraded_from)


def _board_file(url: URL, command: str, tool: str) -> Path:
    if url.get_backend_name() == "postgresql":
        raise BackupRefused(
            f"{command} is for SQLite boards; for PostgreSQL use {tool} (see README)"
        )
    if not is_sqlite(url):
        raise BackupRefused(
            f"{command} is for SQLite boards; use the backup tools of {url.get_backend_name()}"
        )
    path = sqlite_file(url)
    if path is None:
        raise BackupRefused(f"{command} needs a SQLite file, not an in-memory database")
    return path.absolute()


def _check_source(source: Path, board: Path) -> None:
    """Refuse, before copying anything, a file that cannot be a backup."""
    if not source.is_file():
        raise BackupRefused(f"{source}: no such file; nothing was changed")
    if _same_file(source, board):
        raise BackupRefused(f"{source} is the board itself; nothing to restore")
    try:
        with source.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise BackupRefused(
            f"{source} cannot be read ({exc.strerror}); nothing was changed"
        ) from exc
    if header != SQLITE_HEADER:
        raise BackupRefused(
            f"{source} is not a SQLite database (it does not start with the SQLite "
            "header); nothing was changed"
        )
    wal = source.with_name(source.name + "-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise BackupRefused(
            f"{source} has a {wal.name} file beside it: it is a board in use or half a copy; "
            "back it up with `dealboard backup --db sqlite:///FILE` and restore that copy"
        )


def _check_copy(copy: sqlite3.Connection, path: Path, original: Path) -> BackupInfo:
    """Make the fresh copy a single file and prove it whole; read what it holds."""
    copy.execute("PRAGMA journal_mode = DELETE")
    problems = [row[0] for row in copy.execute("PRAGMA integrity_check(5)")]
    if problems != ["ok"]:
        raise sqlite3.DatabaseError(f"integrity check failed: {problems[0]}")
    tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    revision = None
    if "alembic_version" in tables:
        row = copy.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = row[0] if row else None
    deals = copy.execute("SELECT count(*) FROM deals").fetchone()[0] if "deals" in tables else None
    return BackupInfo(original, path.stat().st_size, revision, deals)


@contextmanager
def _board_closed(board: Path) -> Iterator[None]:
    """Hold the board so no one can use it while it is swapped; refuse if anyone has it open.

    Switching out of WAL mode needs every other connection to be closed, so
    it fails (or keeps WAL) while a board or a command still uses the file.
    The switch also folds the `-wal` file into the database and removes it
    with the `-shm`, so nothing of the old board is left beside the new one.
    """
    if not board.exists():
        yield
        return
    in_use = BackupFailed(
        f"{board} is open elsewhere (a board on screen or a running command); close every "
        "dealboard using it, then restore again. Nothing was changed."
    )
    connection = _connect(board, "rw")
    try:
        try:
            mode = connection.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
        except sqlite3.OperationalError as exc:
            raise in_use from exc
        if str(mode).lower() != "delete":
            raise in_use
        try:
            connection.execute("BEGIN EXCLUSIVE")
        except sqlite3.OperationalError as exc:
            raise in_use from exc
        yield
        connection.execute("ROLLBACK")
    finally:
        connection.close()


def _second_name(board: Path, mode: int, gid: int | None) -> Path:
    """Give the (closed, locked) board a hidden second name, so replacing it loses nothing.

    A hard link costs nothing; where the filesystem has none (FAT, some network
    mounts) the board is copied, under a name of its own until the copy is whole.
    """
    kept = leftovers.working_name(board.parent, board.name, "aside")
    with suppress(FileNotFoundError):
        kept.unlink()
    try:
        os.link(board, kept)
    except OSError as exc:
        if exc.errno not in _NO_HARD_LINKS:
            raise
        with _temporary(board.parent, board.name, "asidecopy", mode, gid) as copy:
            with board.open("rb") as source, copy.open("r+b") as target:
                shutil.copyfileobj(source, target, 1 << 20)
            _sync(copy)
            os.rename(copy, kept)
    return kept


def _connect(path: Path, mode: str | None = None) -> sqlite3.Connection:
    """A plain connection (not the engine, whose hook would switch the copy to WAL).

    `ro` opens a backup immutably: no lock, no `-shm` file left beside it.
    """
    if mode is None:
        return sqlite3.connect(path, isolation_level=None)
    query = "immutable=1" if mode == "ro" else f"mode={mode}"
    return sqlite3.connect(
        f"{path.as_uri()}?{query}",
        uri=True,
        timeout=SQLITE_BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,
    )


@contextmanager
def _temporary(folder: Path, target: str, kind: str, mode: int, gid: int | None) -> Iterator[Path]:
    """A new hidden working file with the right mode from its first byte; removed unless
    renamed away. Its name ends in this process's id, so a later run can tell a dead
    run's leftover from a live one's work (see `leftovers`)."""
    path = leftovers.working_name(folder, target, kind)
    with suppress(FileNotFoundError):
        path.unlink()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        if gid is not None:
            with suppress(PermissionError):
                os.fchown(descriptor, -1, gid)
        os.fchmod(descriptor, mode)
    finally:
        os.close(descriptor)
    try:
        yield path
    finally:
        for leftover in (
            path,
            *(path.with_name(path.name + s) for s in ("-journal", *WAL_SUFFIXES)),
        ):
            with suppress(FileNotFoundError):
                leftover.unlink()


def _file_access(board: Path) -> tuple[int, int | None]:
    """Private, unless the board is shared with its group: then the group keeps access."""
    info = board.stat()
    if info.st_mode & stat.S_IWGRP:
        return SHARED_FILE_MODE, info.st_gid
    return PRIVATE_FILE_MODE, None


def _same_access(board: Path) -> tuple[int, int | None]:
    """A restored board keeps the current one's mode and group: no one gains or loses access."""
    info = board.stat()
    return stat.S_IMODE(info.st_mode), info.st_gid


def _new_board_access(folder: Path) -> tuple[int, int | None]:
    """A board restored where none was: the same rule as a new board (`files`)."""
    if files.is_shared_folder(folder):
        return SHARED_FILE_MODE, folder.stat().st_gid
    return PRIVATE_FILE_MODE, None


def _make_folder(folder: Path, gid: int | None) -> None:
    """Create the backups folder: private, or shared like the board's own directory."""
    if folder.is_dir():
        return
    files.make_folder(folder)
    if gid is not None:
        with suppress(PermissionError):
            os.chown(folder, -1, gid)
            os.chmod(folder, SHARED_DIRECTORY_MODE)


def _free_name(folder: Path, name: str) -> Path:
    """`name` in `folder`, or `name` with `-2`, `-3`… when two backups share a second."""
    candidate = folder / name
    stem, suffix = candidate.stem, candidate.suffix
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem}-{number}{suffix}"
        number += 1
    return candidate


def _same_file(one: Path, other: Path) -> bool:
    try:
        return one.exists() and other.exists() and one.samefile(other)
    except OSError:
        return False


def _stamp(now: datetime) -> str:
    return now.astimezone().strftime("%Y%m%d-%H%M%S")


def _sync(path: Path) -> None:
    """Flush a file (or a directory's entries) to disk before relying on it."""
    flags = os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() else 0)
    try:
        descriptor = os.open(path, flags)
    except OSError:
        return
    try:
        with suppress(OSError):
            os.fsync(descriptor)
    finally:
        os.close(descriptor)
