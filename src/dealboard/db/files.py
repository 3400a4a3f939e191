"""Board files no one else on the machine can read, whatever the umask.

A board holds customer data, but SQLite creates its file 0644 (less the
umask) and gives the `-wal`/`-shm` files the database's mode, so by default
any local user could read every deal. dealboard therefore creates the file
itself, with its final mode, before SQLite first opens it: the `-wal` and
`-shm` files SQLite adds later copy that mode, and so do migration copies
and backups made here.

The rule, one for every file dealboard writes beside a board:

* a folder is **shared** when it is setgid and group-writable, as
  `dealboard init --shared` leaves it (mode 2770): files in it are 0660 and
  get the folder's group from the setgid bit, so the team keeps access;
* anywhere else files are **private**, 0600.

A folder dealboard creates is 0700, or 2770 when it is made inside a shared
folder (it joins the team's folder, so it stays open to the team).
"""

from __future__ import annotations

import os
import stat
from contextlib import suppress
from pathlib import Path

#: A private file: read and write for its owner only.
PRIVATE_FILE_MODE = 0o600
#: A private folder: only its owner may list or enter it.
PRIVATE_DIRECTORY_MODE = 0o700
#: A file in a shared folder: read and write for owner and group (as `sharing` sets).
SHARED_FILE_MODE = 0o660
#: A folder made inside a shared folder: setgid, rwx for owner and group.
SHARED_DIRECTORY_MODE = 0o2770


def is_shared_folder(folder: Path) -> bool:
    """True for a team's folder: setgid (new files join its group) and group-writable."""
    try:
        mode = folder.stat().st_mode
    except OSError:
        return False
    return bool(mode & stat.S_ISGID and mode & stat.S_IWGRP)


def file_mode_in(folder: Path) -> int:
    """The mode a new board file, backup or copy gets in `folder`."""
    return SHARED_FILE_MODE if is_shared_folder(folder) else PRIVATE_FILE_MODE


def make_folder(folder: Path) -> None:
    """Create `folder` and any missing parents: 0700 each, or 2770 inside a shared folder.

    The mode is set after `mkdir`, so a permissive umask cannot widen it and a
    strict one cannot leave the owner locked out.
    """
    missing = []
    current = folder.absolute()
    while not current.exists():
        missing.append(current)
        current = current.parent
    for created in reversed(missing):
        shared = is_shared_folder(created.parent)
        with suppress(FileExistsError):
            created.mkdir()
            os.chmod(created, SHARED_DIRECTORY_MODE if shared else PRIVATE_DIRECTORY_MODE)


def create_file(path: Path, mode: int | None = None) -> bool:
    """Create an empty `path` with `mode` (default: the folder's rule); False if it exists.

    `O_EXCL` makes the check and the creation one step, so a file someone else
    made in between is never reopened or re-moded.
    """
    mode = file_mode_in(path.parent) if mode is None else mode
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        return False
    try:
        os.fchmod(descriptor, mode)  # the umask may have taken bits off
    finally:
        os.close(descriptor)
    return True


def prepare_board_file(path: Path) -> None:
    """Before SQLite opens a board file: its folder and the file exist, with their modes."""
    if not path.parent.is_dir():
        make_folder(path.parent)
    if not path.exists():
        create_file(path)


def open_to_others(path: Path) -> bool:
    """True when users outside the file's group may read or write it."""
    return bool(path.stat().st_mode & (stat.S_IROTH | stat.S_IWOTH))
