"""`dealboard doctor`'s checks of a SQLite board's files: who may read its copies, whether
its pages are whole, and what a killed backup or restore left.

A board, its `-wal`/`-shm` and every copy of it (migration `.bak` files,
`backups/`, `before-restore` files) hold customer data: any of them that
other users may read or write is a failure, not a warning. The pages are
proven readable with `PRAGMA quick_check` (every page and record format, a
few seconds on a big board) or, with `doctor --full`, the full
`integrity_check` (indexes against their tables too). Nothing here changes a file.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from pathlib import Path

from dealboard.db.files import SHARED_FILE_MODE, open_to_others
from dealboard.db.findings import Finding, Status, first_line
from dealboard.db.leftovers import BACKUPS, dead_leftovers, glob_escape, interrupted_restore
from dealboard.db.sharing import WAL_SUFFIXES


def board_copies(path: Path) -> list[Path]:
    """The board's `-wal`/`-shm` and every copy dealboard keeps of it, that exist."""
    folder, name = path.parent, glob_escape(path.name)
    found = [path.with_name(path.name + s) for s in WAL_SUFFIXES]
    found += sorted(folder.glob(f"{name}.*.bak")) + sorted(folder.glob(f"{name}.before-restore-*"))
    backups = folder / BACKUPS
    if backups.is_dir() and os.access(backups, os.R_OK | os.X_OK):
        found += sorted(p for p in backups.iterdir() if not p.name.startswith("."))
    return [p for p in found if p.is_file()]


def copies_finding(path: Path, shared: bool) -> Finding:
    """Fails when another user may read or write a journal or a copy of the board."""
    copies = board_copies(path)
    exposed = [p for p in copies if open_to_others(p)]
    if exposed:
        shown = " ".join(str(p) for p in exposed)
        return Finding(
            Status.FAIL,
            "copies",
            f"every user on this machine can read (or change) {len(exposed)} of the board's "
            f"journals and copies, which hold its customer data: {shown}",
            f"chmod o-rwx {shown}" + (f" (or chmod {SHARED_FILE_MODE:o})" if shared else ""),
        )
    if not copies:
        return Finding(Status.OK, "copies", "no -wal/-shm file or copy of the board beside it")
    return Finding(
        Status.OK, "copies", f"{len(copies)} journal and copy files, none open to other users"
    )


def integrity_finding(path: Path, *, full: bool = False) -> Finding:
    """SQLite's own check of every page; a damaged board is a failure with the way back."""
    pragma = "integrity_check" if full else "quick_check"
    restore = (
        f"stop using the board and restore the latest backup (`dealboard restore FILE`; "
        f"backups are in {path.parent / BACKUPS}); `dealboard backup` first keeps what is left"
    )
    try:
        with closing(read_only(path)) as connection:
            problems = [row[0] for row in connection.execute(f"PRAGMA {pragma}(5)")]
    except sqlite3.DatabaseError as exc:
        return Finding(
            Status.FAIL, "integrity", f"{pragma}: {first_line(exc)}; the file is damaged", restore
        )
    if problems == ["ok"]:
        shown = "full integrity check" if full else "quick check (`--full` for every index)"
        return Finding(Status.OK, "integrity", f"{shown}: ok")
    return Finding(
        Status.FAIL,
        "integrity",
        f"{pragma} found damage: {'; '.join(problems[:2])}",
        restore,
    )


def leftovers_finding(path: Path) -> Finding:
    """Copies a killed backup or restore left: they hold customer data and take space."""
    folders = [path.parent, path.parent / BACKUPS]
    left = [p for folder in folders if folder.is_dir() for p in dead_leftovers(folder)]
    if not left:
        return Finding(Status.OK, "leftovers", "no half-written backup or restore beside the board")
    size = sum(p.stat().st_size for p in left if p.is_file())
    return Finding(
        Status.WARN,
        "leftovers",
        f"{len(left)} file{'s' if len(left) != 1 else ''} left by a backup or restore that "
        f"was killed ({size:,} bytes): " + " ".join(str(p) for p in left),
        "the next dealboard command on this board removes them (or finishes the restore)",
    )


def interrupted_restore_finding(path: Path) -> Finding | None:
    """A restore killed by an older dealboard between its two renames: the board is missing."""
    partial = interrupted_restore(path)
    if partial is None:
        return None
    return Finding(
        Status.FAIL,
        "database file",
        f"no database at {path}: a restore was killed half-way; the restored board is "
        f"complete at {partial}",
        "`dealboard backup` finishes the restore first (then backs it up)",
    )


def read_only(path: Path) -> sqlite3.Connection:
    """A connection that changes and creates nothing beside the file."""
    wal_present = all(path.with_name(path.name + s).exists() for s in WAL_SUFFIXES)
    # A read-only open of a WAL database creates -wal/-shm; `immutable` reads the file
    # alone, which is exact when there is no -wal file holding newer pages.
    options = "mode=ro" if wal_present else "immutable=1"
    return sqlite3.connect(f"{path.as_uri()}?{options}", uri=True)
