"""Making a SQLite board usable by a Unix group on one server (`dealboard init --shared`).

The directory is group-owned with mode 2770: the group may create files in it
(WAL needs `-wal` and `-shm` beside the database) and setgid makes every new
file join the group. SQLite creates the database 0644 whatever the umask, so
the files are set to 0660 explicitly; SQLite gives later `-wal`/`-shm` files
the database's mode. The directory is prepared before the database exists, so
no one outside the group ever sees the file, even while it is briefly 0644.
"""

from __future__ import annotations

import grp
import os
import pwd
import stat
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import URL

from dealboard.db.engine import default_database_path, is_sqlite, sqlite_file
from dealboard.db.files import SHARED_DIRECTORY_MODE, SHARED_FILE_MODE

#: Files SQLite keeps beside the database while it is open in WAL mode.
WAL_SUFFIXES = ("-wal", "-shm")


class SharingRefused(Exception):
    """The request cannot work as given (no such group, not a SQLite file); nothing was changed."""


class SharingNotPermitted(Exception):
    """The system refused a change (not the owner, not in the group); says who can make it."""


@dataclass(frozen=True)
class SharedBoard:
    """A SQLite board file and the group that is to share it."""

    path: Path
    group: str
    gid: int

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def url_for_teammates(self) -> str:
        """The `--db` value teammates should use: always an absolute path."""
        return f"sqlite:///{self.path.absolute()}"


@dataclass(frozen=True)
class Permissions:
    """What a file or directory ended up as, and whether this run changed it."""

    path: Path
    mode: int
    changed: bool

    @property
    def mode_text(self) -> str:
        return f"{self.mode:04o}"


def shared_board(url: URL, group: str) -> SharedBoard:
    """Check that `url` is a SQLite file and that this user may hand it to `group`.

    Runs before anything is created, so a refusal leaves no trace.
    """
    if not is_sqlite(url):
        raise SharingRefused(
            f"--shared is for SQLite files: access to a {url.get_backend_name()} board is "
            "governed by database roles (GRANT/REVOKE), not by file permissions"
        )
    path = sqlite_file(url)
    if path is None:
        raise SharingRefused("--shared needs a SQLite file, not an in-memory database")
    try:
        entry = grp.getgrnam(group)
    except KeyError:
        raise SharingRefused(
            f"--shared: there is no group {group!r} on this system; `getent group` lists "
            f"them (an administrator creates one with `sudo groupadd {group}`)"
        ) from None
    _require_membership(entry)
    return SharedBoard(path=path.absolute(), group=entry.gr_name, gid=entry.gr_gid)


def _require_membership(entry: grp.struct_group) -> None:
    if os.geteuid() == 0 or entry.gr_gid == os.getegid() or entry.gr_gid in os.getgroups():
        return
    login = _login()
    if login in entry.gr_mem:
        raise SharingNotPermitted(
            f"you were added to group {entry.gr_name} after logging in; log out and back in "
            f"(or run `newgrp {entry.gr_name}`) so the change applies, then try again"
        )
    raise SharingNotPermitted(
        f"you ({login}) are not in group {entry.gr_name}, so you cannot give files to it; "
        f"an administrator can add you with `sudo usermod -aG {entry.gr_name} {login}`"
    )


def share_directory(board: SharedBoard) -> Permissions:
    """Create the board's directory if needed and make it group-owned, mode 2770."""
    folder = board.folder
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except PermissionError:
        raise SharingNotPermitted(
            f"cannot create {folder}: permission denied; an administrator can create it with "
            f"`sudo install -d -o {_login()} -g {board.group} -m 2770 {folder}`"
        ) from None
    if _has(folder, board.gid, SHARED_DIRECTORY_MODE):
        return Permissions(folder, SHARED_DIRECTORY_MODE, changed=False)
    others = _foreign_entries(board)
    if others:
        shown = ", ".join(repr(n) for n in sorted(others)[:3]) + (", …" if len(others) > 3 else "")
        raise SharingRefused(
            f"{folder} also holds {shown}; --shared changes the whole directory, so give the "
            "board a directory of its own (e.g. --db sqlite:////srv/sales/board.sqlite3)"
        )
    return _apply(folder, board, SHARED_DIRECTORY_MODE)


def share_files(board: SharedBoard) -> list[Permissions]:
    """Give the database file, and its `-wal`/`-shm` files if present, to the group, 0660."""
    done = []
    for path in (board.path, *(_beside(board.path, s) for s in WAL_SUFFIXES)):
        if not path.exists():
            continue
        if _has(path, board.gid, SHARED_FILE_MODE):
            done.append(Permissions(path, SHARED_FILE_MODE, changed=False))
        else:
            done.append(_apply(path, board, SHARED_FILE_MODE))
    return done


def is_default_location(path: Path) -> bool:
    """True when the board is in the per-user data folder, inside a home directory."""
    return path.absolute().parent == default_database_path().absolute().parent


def blocked_ancestor(folder: Path, gid: int) -> Path | None:
    """The first directory above `folder` that members of `gid` cannot pass through.

    Going by mode bits only (ACLs are not read): a directory can be passed if
    it is searchable by others, or group-owned by `gid` and searchable by the group.
    """
    for ancestor in reversed(folder.absolute().parents):
        try:
            info = ancestor.stat()
        except OSError:
            return ancestor
        if info.st_mode & stat.S_IXOTH:
            continue
        if info.st_gid == gid and info.st_mode & stat.S_IXGRP:
            continue
        return ancestor
    return None


def group_name(gid: int) -> str:
    """The group's name, or its number when the system has no name for it."""
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def owner_name(uid: int) -> str:
    """The user's login, or their number when the system has no name for it."""
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def _beside(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _has(path: Path, gid: int, mode: int) -> bool:
    info = path.stat()
    return info.st_gid == gid and stat.S_IMODE(info.st_mode) == mode


def _foreign_entries(board: SharedBoard) -> list[str]:
    """Names in the directory that are not this board's database, journals or backups."""
    name = board.path.name
    own = {name, *(name + s for s in (*WAL_SUFFIXES, "-journal"))}
    if is_default_location(board.path):
        own.add("themes")  # the per-user data folder also keeps the user's colour themes
    return [
        entry
        for entry in os.listdir(board.folder)
        if entry not in own and not (entry.startswith(name + ".") and entry.endswith(".bak"))
    ]


def _apply(path: Path, board: SharedBoard, mode: int) -> Permissions:
    try:
        os.chown(path, -1, board.gid)
        os.chmod(path, mode)
    except PermissionError:
        owner = owner_name(path.stat().st_uid)
        raise SharingNotPermitted(
            f"cannot change {path}: it belongs to {owner}, and only they or root may run "
            f"`chgrp {board.group} {path} && chmod {mode:o} {path}`"
        ) from None
    if not _has(path, board.gid, mode):
        actual = stat.S_IMODE(path.stat().st_mode)
        raise SharingNotPermitted(
            f"{path} kept mode {actual:04o} instead of {mode:04o}; this filesystem does not "
            "support Unix permissions, so it cannot hold a shared board"
        )
    return Permissions(path, mode, changed=True)


def _login() -> str:
    return owner_name(os.geteuid())
