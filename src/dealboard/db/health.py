"""`dealboard doctor`: is this board's database set up so a team can use it safely?

Every check only looks: nothing is created, upgraded or switched. A SQLite
file is read through its header or a read-only connection that creates no
`-wal`/`-shm` file, and never through the engine, whose connect hook would
switch the journal mode.

The checks of the board's copies, its pages and what killed backups left
are in `health_files`.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from dealboard.db import migrate
from dealboard.db.engine import build_engine, is_sqlite, sqlite_file
from dealboard.db.files import PRIVATE_FILE_MODE
from dealboard.db.findings import Finding, Status, first_line
from dealboard.db.health_files import (
    copies_finding,
    integrity_finding,
    interrupted_restore_finding,
    leftovers_finding,
    read_only,
)
from dealboard.db.sharing import (
    SHARED_FILE_MODE,
    blocked_ancestor,
    group_name,
    owner_name,
)

#: Where Linux lists mounted filesystems; tests point this at a file of their own.
MOUNTS_TABLE = Path("/proc/mounts")

#: Filesystem types reached over a network: SQLite's WAL locking does not work on them.
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "afs", "ceph", "glusterfs", "lustre",
        "gpfs", "beegfs", "orangefs", "ocfs2", "gfs2", "davfs", "ncpfs", "coda", "virtiofs",
        "fuse.sshfs", "fuse.rclone", "fuse.s3fs", "fuse.gcsfuse", "fuse.goofys",
        "fuse.glusterfs", "fuse.ceph-fuse", "fuse.cephfs", "fuse.juicefs", "fuse.mfs",
        "fuse.lizardfs", "fuse.seaweedfs", "fuse.davfs", "fuse.smbnetfs", "fuse.curlftpfs",
        "fuse.gvfsd-fuse", "fuse.s3ql", "fuse.objectivefs", "fuse.blobfuse", "fuse.blobfuse2",
    }
)  # fmt: skip

_SQLITE_MAGIC = b"SQLite format 3\x00"
_WAL_VERSION = 2


def check_database(
    url: URL, *, mounts_table: Path | None = None, full: bool = False
) -> list[Finding]:
    """Every check that applies to the database at `url`, in a readable order.

    `full` runs SQLite's complete integrity check instead of the quick one.
    """
    if not is_sqlite(url):
        return _check_server(url)
    path = sqlite_file(url)
    if path is None:
        return [Finding(Status.WARN, "database", "in-memory SQLite: nothing to share or keep")]
    return _check_sqlite_file(path.absolute(), mounts_table or MOUNTS_TABLE, full)


def failed(findings: list[Finding]) -> bool:
    """True when at least one check failed."""
    return any(f.status is Status.FAIL for f in findings)


# --- PostgreSQL (and any other server) -------------------------------------------------


def _check_server(url: URL) -> list[Finding]:
    shown = url.render_as_string(hide_password=True)
    try:
        engine = build_engine(url)
    except (SQLAlchemyError, ImportError) as exc:
        return [Finding(Status.FAIL, "connection", f"cannot use {shown}: {first_line(exc)}")]
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        return [
            Finding(
                Status.FAIL,
                "connection",
                f"cannot connect to {shown}: {first_line(getattr(exc, 'orig', None) or exc)}",
                "check the host, port, database name, user and password in the URL",
            )
        ]
    finally:
        engine.dispose()
    connected = Finding(Status.OK, "connection", f"connected to {shown}")
    return [connected, _schema_finding(lambda: migrate.schema_state(url).current)]


# --- SQLite -------------------------------------------------------------------------------


def _check_sqlite_file(path: Path, mounts_table: Path, full: bool) -> list[Finding]:
    closed = next((d for d in reversed(path.parents) if not os.access(d, os.X_OK)), None)
    if closed is not None and closed.exists():
        group = group_name(closed.stat().st_gid)
        return [
            Finding(
                Status.FAIL,
                "database file",
                f"cannot reach {path}: you may not enter {closed} (group {group})",
                f"if the board is shared with group {group}, ask an administrator to add you "
                f"(`sudo usermod -aG {group} {_login()}`), then log in again",
            )
        ]
    findings = []
    if path.is_file():
        info = path.stat()
        size = f"{info.st_size:,} bytes" if info.st_size else "empty"
        findings.append(Finding(Status.OK, "database file", f"{path} ({size})"))
    elif path.exists():
        return [Finding(Status.FAIL, "database file", f"{path} is not a regular file")]
    else:
        findings.append(
            interrupted_restore_finding(path)
            or Finding(
                Status.FAIL,
                "database file",
                f"no database at {path} (doctor does not create one)",
                f"`dealboard init --db sqlite:///{path}` creates it; "
                "check the --db URL or $DEALBOARD_DATABASE_URL",
            )
        )
    folder = path.parent
    if folder.is_dir():
        findings.append(_directory_finding(folder))
        shared = _is_shared(folder, path)
        if shared:
            findings.append(_reachable_finding(folder))
    else:
        shared = False
    findings.append(_filesystem_finding(path if path.exists() else folder, mounts_table))
    if not path.is_file():
        return findings
    findings.append(_file_finding(path, shared))
    findings.append(copies_finding(path, shared))
    findings.append(leftovers_finding(path))
    if not os.access(path, os.R_OK):
        return findings
    journal = _journal_finding(path)
    findings.append(journal)
    if journal.status is not Status.FAIL and path.stat().st_size:
        findings.append(integrity_finding(path, full=full))
    findings.append(_schema_finding(lambda: _sqlite_revision(path)))
    return findings


def _is_shared(folder: Path, path: Path) -> bool:
    """A board meant for a group: its directory is setgid or group-writable, or its file is."""
    mode = folder.stat().st_mode
    if mode & (stat.S_ISGID | stat.S_IWGRP):
        return True
    return path.is_file() and bool(path.stat().st_mode & stat.S_IWGRP)


def _directory_finding(folder: Path) -> Finding:
    info = folder.stat()
    mode = stat.S_IMODE(info.st_mode)
    group = group_name(info.st_gid)
    described = f"{folder}: mode {mode:04o}, group {group}"
    if not os.access(folder, os.W_OK | os.X_OK):
        return Finding(
            Status.FAIL,
            "directory",
            f"{described}; you cannot create files in it, and WAL needs to create "
            "the -wal and -shm files beside the database",
            f"its owner ({owner_name(info.st_uid)}) can run "
            f"`dealboard init --shared GROUP` or `chmod g+w {folder}`",
        )
    if mode & stat.S_IWOTH:
        return Finding(
            Status.WARN,
            "directory",
            f"{described}; anyone on this machine may delete or replace the board",
            f"chmod o-rwx {folder}",
        )
    shared = mode & (stat.S_ISGID | stat.S_IWGRP)
    if shared and not mode & stat.S_ISGID:
        return Finding(
            Status.WARN,
            "directory",
            f"{described}; not setgid, so a teammate's new -wal/-shm files get their own "
            f"group and others may be locked out",
            f"chmod g+s {folder}",
        )
    if shared and not mode & stat.S_IWGRP:
        return Finding(
            Status.WARN,
            "directory",
            f"{described}; setgid but not group-writable, so teammates cannot create "
            "the -wal/-shm files WAL needs",
            f"chmod 2770 {folder}",
        )
    if shared:
        return Finding(Status.OK, "directory", f"{described}; shared (setgid, group-writable)")
    return Finding(Status.OK, "directory", f"{described}; not shared with a group")


def _reachable_finding(folder: Path) -> Finding:
    gid = folder.stat().st_gid
    blocked = blocked_ancestor(folder, gid)
    if blocked is None:
        return Finding(Status.OK, "path", f"group {group_name(gid)} can reach {folder}")
    return Finding(
        Status.WARN,
        "path",
        f"{blocked} is closed to others, so teammates probably cannot reach the board "
        "(home directories usually are)",
        "keep shared boards outside home directories, e.g. --db sqlite:////srv/sales/board.sqlite3",
    )


def _file_finding(path: Path, shared: bool) -> Finding:
    info = path.stat()
    mode = stat.S_IMODE(info.st_mode)
    described = f"mode {mode:04o}, owner {owner_name(info.st_uid)}, group {group_name(info.st_gid)}"
    if not os.access(path, os.R_OK | os.W_OK):
        return Finding(
            Status.FAIL,
            "file permissions",
            f"{described}; you cannot read and write it, so dealboard cannot save changes",
            (
                f"ask an administrator to add you to group {group_name(info.st_gid)} "
                f"(`sudo usermod -aG {group_name(info.st_gid)} {_login()}`), then log in again"
            )
            if shared and mode & stat.S_IWGRP
            else f"its owner ({owner_name(info.st_uid)}) can share it with a group you are in: "
            "`dealboard init --shared GROUP`",
        )
    if mode & stat.S_IWOTH:
        return Finding(
            Status.FAIL,
            "file permissions",
            f"{described}; anyone on this machine can change any deal",
            f"chmod {SHARED_FILE_MODE if shared else PRIVATE_FILE_MODE:o} {path}",
        )
    if mode & stat.S_IROTH:
        return Finding(
            Status.FAIL,
            "file permissions",
            f"{described}; every user on this machine can read it, and it holds customer data",
            f"chmod o-rwx {path}" + (f" (or chmod {SHARED_FILE_MODE:o})" if shared else ""),
        )
    if shared and not mode & stat.S_IWGRP:
        return Finding(
            Status.WARN,
            "file permissions",
            f"{described}; the board is shared, but its group cannot write it",
            f"chmod {SHARED_FILE_MODE:o} {path}",
        )
    return Finding(Status.OK, "file permissions", described)


def _journal_finding(path: Path) -> Finding:
    with path.open("rb") as file:
        header = file.read(20)
    if not header:
        return Finding(
            Status.WARN,
            "journal mode",
            "empty file: no journal mode yet",
            "`dealboard init` creates the schema and switches it to WAL",
        )
    if len(header) < 20 or not header.startswith(_SQLITE_MAGIC):
        return Finding(Status.FAIL, "journal mode", f"{path} is not a SQLite database")
    if header[18] == header[19] == _WAL_VERSION:
        return Finding(Status.OK, "journal mode", "WAL: readers never wait for the writer")
    return Finding(
        Status.WARN,
        "journal mode",
        "not WAL (rollback journal): readers and the writer block each other",
        "dealboard switches it to WAL whenever it opens the board; if it keeps coming back, "
        "something else opens the file",
    )


# --- Filesystem ---------------------------------------------------------------------------


def _filesystem_finding(path: Path, mounts_table: Path) -> Finding:
    mount = mount_of(path, mounts_table)
    if mount is None:
        return Finding(Status.OK, "filesystem", f"could not read {mounts_table}; not checked")
    point, fstype = mount
    where = f"{fstype} mounted at {point}"
    if fstype in NETWORK_FILESYSTEMS:
        return Finding(
            Status.FAIL,
            "filesystem",
            f"{where}: WAL does not work on network filesystems; use PostgreSQL",
            "move the board to a local disk of the server everyone logs in to, "
            "or use PostgreSQL for teams across machines",
        )
    if fstype == "fuse" or fstype.startswith("fuse."):
        return Finding(
            Status.WARN,
            "filesystem",
            f"{where}: if this reaches over a network, WAL will not work on it",
            "keep the board on a local disk, or use PostgreSQL",
        )
    return Finding(Status.OK, "filesystem", f"{where} (local)")


def mount_of(path: Path, mounts_table: Path = MOUNTS_TABLE) -> tuple[str, str] | None:
    """(mount point, filesystem type) of the mount holding `path`, from a mounts table."""
    try:
        lines = mounts_table.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    target = os.path.realpath(path)
    best: tuple[str, str] | None = None
    for line in lines:
        fields = line.split()
        if len(fields) < 3:
            continue
        point, fstype = _unescape(fields[1]), fields[2]
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and (best is None or len(point) >= len(best[0])):
            best = (point, fstype)  # the last of equal mount points is the one on top
    return best


def _unescape(field: str) -> str:
    """Mount points in /proc/mounts write space, tab, newline and backslash as octal."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


# --- Schema -------------------------------------------------------------------------------


def _sqlite_revision(path: Path) -> str | None:
    """The Alembic revision in a SQLite file, read without creating or changing anything."""
    if not path.stat().st_size:
        return None
    connection = read_only(path)
    try:
        tables = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
        if tables is None:
            return None
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        return row[0] if row else None
    finally:
        connection.close()


def _schema_finding(read_revision: Callable[[], str | None]) -> Finding:
    try:
        current = read_revision()
    except (sqlite3.Error, SQLAlchemyError) as exc:
        return Finding(
            Status.FAIL, "migrations", f"cannot read the schema revision: {first_line(exc)}"
        )
    head = migrate.head_revision()
    order = [r.revision for r in migrate.history()]
    if current is None:
        return Finding(
            Status.WARN,
            "migrations",
            f"no schema yet: all {len(order)} migrations pending (newest {head})",
            "`dealboard init` or any dealboard command creates the schema",
        )
    if current not in order:
        return Finding(
            Status.FAIL,
            "migrations",
            f"at revision {current}, newer than this dealboard knows (newest {head})",
            "upgrade dealboard on this machine before using this board",
        )
    pending = len(order) - 1 - order.index(current)
    if pending:
        return Finding(
            Status.WARN,
            "migrations",
            f"at {current}; {pending} pending (newest {head})",
            "`dealboard db upgrade` applies them (a SQLite file is backed up first)",
        )
    return Finding(Status.OK, "migrations", f"at {current}, the newest")


def _login() -> str:
    return owner_name(os.geteuid())
