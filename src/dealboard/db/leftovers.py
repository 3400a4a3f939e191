"""What a killed `backup` or `restore` leaves behind, put right on the next run.

Both commands write under hidden names that end in the writer's process id,
`.<name>.<kind>-<pid>`, and rename into place only when the file is whole:

* `partial` — a backup being copied (beside its destination);
* `restoring` — a backup being copied in to replace the board;
* `asidecopy` — the old board being copied aside where hard links are not
  supported (see `backup.restore`);
* `aside` — a second name (hard link, or that copy) for the old board,
  made before the new board replaces it and renamed to
  `<board>.before-restore-<time>` once it has.

A file whose process is still alive is someone's work in progress and is
left alone. One whose process is gone is dealt with by kind: partial copies
are deleted (with any `-journal`/`-wal`/`-shm` beside them); an `aside` that
is still the board itself (same inode: the swap never happened) is just an
extra name and is removed, and one that is not (the swap happened) gets its
`before-restore` name. Either way the board path never goes missing.

Older dealboards renamed the board aside *before* moving the new one in, so
a kill between the two left no board. When the board is missing, its
`before-restore` copy exists and a dead `restoring` copy is there (it was
complete and checked before the first rename), the swap is finished.
"""

from __future__ import annotations

import os
import re
from contextlib import suppress
from datetime import datetime
from pathlib import Path

#: The hidden working names; `target` is the file they stand in for.
_LEFTOVER = re.compile(
    r"^\.(?P<target>.+)\.(?P<kind>partial|restoring|asidecopy|aside)-(?P<pid>\d+)"
    r"(?P<side>-journal|-wal|-shm)?$"
)
#: The folder beside the board that default backups go into.
BACKUPS = "backups"


def working_name(folder: Path, target: str, kind: str) -> Path:
    """This process's hidden working file for `target` in `folder`."""
    return folder / f".{target}.{kind}-{os.getpid()}"


def aside_name(board: Path, when: datetime) -> Path:
    """Where the previous board is kept after a restore: `<board>.before-restore-<time>`."""
    stamp = when.astimezone().strftime("%Y%m%d-%H%M%S")
    candidate = board.with_name(f"{board.name}.before-restore-{stamp}")
    number = 2
    while candidate.exists():
        candidate = board.with_name(f"{board.name}.before-restore-{stamp}-{number}")
        number += 1
    return candidate


def settle_board(board: Path) -> None:
    """Before the board is opened: finish or undo a killed restore, drop dead copies."""
    folder = board.parent
    if not folder.is_dir():
        return
    sweep(folder)
    if (folder / BACKUPS).is_dir():
        sweep(folder / BACKUPS)


def dead_leftovers(folder: Path) -> list[Path]:
    """The working files in `folder` whose process is gone (only looks; `doctor` uses it)."""
    return [folder / name for name, _match in _dead(folder)]


def interrupted_restore(board: Path) -> Path | None:
    """The complete new board an older dealboard's killed restore left, when the board is gone."""
    if board.exists():
        return None
    for name, match in _dead(board.parent):
        complete = match["kind"] == "restoring" and match["side"] is None
        if complete and _is_legacy_swap(board.parent / name, board):
            return board.parent / name
    return None


def _dead(folder: Path) -> list[tuple[str, re.Match[str]]]:
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    found = [(name, _LEFTOVER.match(name)) for name in sorted(names)]
    return [(name, m) for name, m in found if m is not None and not pid_alive(int(m["pid"]))]


def sweep(folder: Path) -> list[Path]:
    """Settle every dead process's working file in `folder`; returns what was removed or renamed."""
    dead = _dead(folder)
    settled: list[Path] = []
    # Finish a legacy swap first: it needs the `restoring` copy the next step would delete.
    for name, match in dead:
        legacy = match["kind"] == "restoring" and match["side"] is None
        if legacy and _finish_legacy_swap(folder / name, folder / match["target"]):
            settled.append(folder / name)
    for name, match in dead:
        path = folder / name
        if not path.exists() and not path.is_symlink():
            continue
        if match["kind"] == "aside" and match["side"] is None:
            _settle_aside(path, folder / match["target"])
        else:
            with suppress(OSError):
                path.unlink()
        settled.append(path)
    return settled


def pid_alive(pid: int) -> bool:
    """True when a process with this id exists (another user's counts too)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _settle_aside(aside: Path, board: Path) -> None:
    """The swap never happened: drop the extra name; it happened: give it its final name."""
    try:
        if board.exists() and aside.samefile(board):
            aside.unlink()
            return
        if not board.exists():
            os.rename(aside, board)  # nothing replaced the board: it is still the board
            return
        when = datetime.fromtimestamp(aside.stat().st_ctime).astimezone()
        os.rename(aside, aside_name(board, when))
    except OSError:
        return


def _is_legacy_swap(partial: Path, board: Path) -> bool:
    """No board, its `before-restore` copy present, and the whole new one beside it."""
    if board.exists() or not partial.is_file():
        return False
    return any(board.parent.glob(f"{glob_escape(board.name)}.before-restore-*"))


def _finish_legacy_swap(partial: Path, board: Path) -> bool:
    if not _is_legacy_swap(partial, board):
        return False
    try:
        os.rename(partial, board)
    except OSError:
        return False
    return True


def glob_escape(name: str) -> str:
    """`name` with glob's special characters taken literally."""
    return re.sub(r"([*?\[])", r"[\1]", name)
