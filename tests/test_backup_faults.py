"""A `backup` or `restore` killed at its worst moment: the board is never missing, and the
next command leaves no stray file. Also: only a manager may restore over a board.

The kills are real: tests/backup_fault_worker.py runs the command in its own
process, stops at the chosen step and says so in a signal file; the test then
sends SIGKILL. These make SQLite boards of their own whichever engine the suite
runs on (backups are a SQLite matter).
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy.engine import URL

from dealboard.cli.main import main
from dealboard.domain import identity
from dealboard.domain.board import open_board
from dealboard.domain.deals import DealFields

WORKER = Path(__file__).with_name("backup_fault_worker.py")
SEEDED_DEALS = 40
#: How long a worker may take to reach its step (it imports SQLAlchemy and the domain).
STEP_SECONDS = 30.0


def sqlite_url(path: Path) -> URL:
    return URL.create("sqlite+pysqlite", database=str(path))


def dealboard(capsys: pytest.CaptureFixture[str], board: Path, *args: str):
    """The command line in this process, as the login `logged_in` says (maria by default)."""
    code = main(["--db", f"sqlite:///{board}", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def deal_count(path: Path) -> int:
    with sqlite3.connect(f"{path.as_uri()}?immutable=1", uri=True) as connection:
        return connection.execute("SELECT count(*) FROM deals").fetchone()[0]


def names(folder: Path) -> list[str]:
    """What a user would see in the folder once no dealboard runs (WAL files come and go)."""
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm")))


def wait_until(condition: Callable[[], bool], process: subprocess.Popen[bytes], what: str) -> None:
    """Poll until `condition` holds; fail at once if the worker died first."""
    deadline = time.monotonic() + STEP_SECONDS
    while not condition():
        if process.poll() is not None:
            _, errors = process.communicate()
            pytest.fail(f"worker exited {process.returncode} before {what}: {errors.decode()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"worker never reached {what}")
        time.sleep(0.01)


def killed_at(step: str, tmp_path: Path, board: Path, *args: str) -> int:
    """Run `dealboard ARGS` in a worker, SIGKILL it at `step`; returns its pid."""
    signal_file = tmp_path / f"stopped-{step}"
    command = ["--db", f"sqlite:///{board}", *args]
    process = subprocess.Popen(
        [sys.executable, str(WORKER), step, str(signal_file), *command],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_until(signal_file.exists, process, f"step {step}")
        assert board.is_file(), f"the board is missing while {args[0]} stands at {step}"
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(timeout=10) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.pid


def dead_pid() -> int:
    finished = subprocess.Popen([sys.executable, "-c", ""])
    finished.wait()
    return finished.pid


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seeded") / "board.sqlite3"
    board = open_board(sqlite_url(path), "maria", create=True)
    board.add_user("rick", "Rick Rep", "rep")
    # The killed workers run as this process's OS account, and restore needs a manager.
    board.add_user(identity.os_login(), "This machine's tester", "manager")
    for number in range(SEEDED_DEALS):
        board.add_deal(DealFields(title=f"Seeded deal {number}", value="12k", account="Acme"))
    board.database.dispose()
    return path


@pytest.fixture
def board(seeded: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "sales"
    folder.mkdir()
    path = folder / "board.sqlite3"
    shutil.copyfile(seeded, path)
    return path


@pytest.fixture
def backup_file(board: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A backup of the seeded board; the board then gets one deal more than it."""
    target = tmp_path / "monday.sqlite"
    assert dealboard(capsys, board, "backup", str(target))[0] == 0
    added = open_board(sqlite_url(board), "maria")
    added.add_deal(DealFields(title="Made after the backup"))
    added.database.dispose()
    return target


# -- backup -------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("step", ["copied", "swap"])
def test_a_killed_backup_leaves_no_partial_once_the_next_backup_runs(
    board: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], step: str
) -> None:
    folder = board.parent / "backups"
    pid = killed_at(step, tmp_path, board, "backup")
    [partial] = folder.iterdir()
    assert partial.name.startswith(".board-") and partial.name.endswith(f".partial-{pid}")
    assert partial.stat().st_size >= board.stat().st_size // 2, "a full-size copy was left"
    code, _, err = dealboard(capsys, board, "backup")
    assert (code, err) == (0, "")
    [copy] = folder.iterdir()
    assert copy.name.startswith("board-") and deal_count(copy) == SEEDED_DEALS
    assert names(board.parent) == ["backups", "board.sqlite3"]


def test_a_partial_of_a_running_backup_is_left_alone_and_a_dead_one_removed(
    board: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = board.parent / "backups"
    folder.mkdir()
    running = folder / f".board-20260101-090000.sqlite.partial-{os.getpid()}"
    dead = folder / f".board-20260101-080000.sqlite.partial-{dead_pid()}"
    dead_journal = dead.with_name(dead.name + "-journal")
    for path in (running, dead, dead_journal):
        path.write_bytes(b"SQLite format 3\x00")
    assert dealboard(capsys, board, "backup")[0] == 0
    assert running.exists(), "another process's backup in progress is not touched"
    assert not dead.exists() and not dead_journal.exists()


# -- restore -------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(("step", "swapped"), [("copied", False), ("swap", False), ("aside", True)])
def test_a_killed_restore_never_leaves_the_board_missing_and_the_next_command_tidies_up(
    board: Path,
    backup_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    step: str,
    swapped: bool,
) -> None:
    pid = killed_at(step, tmp_path, board, "restore", str(backup_file), "--yes")
    assert board.is_file()
    [restoring] = list(board.parent.glob(".board.sqlite3.restoring-*")) or [None]
    [kept] = list(board.parent.glob(".board.sqlite3.aside-*")) or [None]
    if step == "copied":
        assert restoring is not None and restoring.name.endswith(f"-{pid}") and kept is None
    else:
        assert kept is not None and kept.name.endswith(f"-{pid}")
        assert kept.samefile(board) is not swapped, "the old board's second name"
    code, out, err = dealboard(capsys, board, "deal", "list")
    assert (code, err) == (0, "")
    if swapped:
        [aside] = board.parent.glob("board.sqlite3.before-restore-*")
        assert names(board.parent) == ["board.sqlite3", aside.name]
        assert deal_count(aside) == SEEDED_DEALS + 1, "the previous board is kept whole"
        assert deal_count(board) == SEEDED_DEALS
        assert "Made after the backup" not in out
    else:
        assert names(board.parent) == ["board.sqlite3"], "no partial, no half-made aside"
        assert deal_count(board) == SEEDED_DEALS + 1, "the restore never happened"
        assert "Made after the backup" in out


@pytest.mark.parametrize("command", ["backup", "restore"])
def test_a_swap_killed_by_an_older_dealboard_is_finished_by_the_next_backup_or_restore(
    board: Path, backup_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command
) -> None:
    """Older versions renamed the board aside first: a kill then left no board at all."""
    aside = board.with_name("board.sqlite3.before-restore-20260101-090000")
    os.rename(board, aside)
    shutil.copyfile(backup_file, board.with_name(f".board.sqlite3.restoring-{dead_pid()}"))
    args = [command] if command == "backup" else [command, str(backup_file), "--yes"]
    code, _, err = dealboard(capsys, board, *args)
    assert (code, err) == (0, "")
    kept = sorted(board.parent.glob("board.sqlite3.before-restore-*"))
    made = ["backups"] if command == "backup" else []
    assert names(board.parent) == sorted(["board.sqlite3", *made, *(p.name for p in kept)])
    assert kept[0] == aside and deal_count(aside) == SEEDED_DEALS + 1
    assert deal_count(board) == SEEDED_DEALS
    assert dealboard(capsys, board, "deal", "list")[0] == 0


# -- who may restore ----------------------------------------------------------------------


@pytest.mark.parametrize("actor", ["rick", "newcomer"])
def test_only_a_manager_may_restore_over_a_board(
    board: Path, backup_file: Path, capsys: pytest.CaptureFixture[str], logged_in, actor: str
) -> None:
    logged_in.name = actor
    code, out, err = dealboard(capsys, board, "restore", str(backup_file), "--yes")
    assert (code, out) == (3, "")
    assert err == (
        f"dealboard: only a manager may restore a backup over this board; {actor} is a rep\n"
    )
    assert names(board.parent) == ["board.sqlite3"]
    assert deal_count(board) == SEEDED_DEALS + 1


def test_a_board_an_older_restore_left_missing_is_still_for_managers_only(
    board: Path, backup_file: Path, capsys: pytest.CaptureFixture[str], logged_in
) -> None:
    os.rename(board, board.with_name("board.sqlite3.before-restore-20260101-090000"))
    shutil.copyfile(backup_file, board.with_name(f".board.sqlite3.restoring-{dead_pid()}"))
    logged_in.name = "rick"
    code, _, err = dealboard(capsys, board, "restore", str(backup_file), "--yes")
    assert code == 3 and "rick is a rep" in err
    assert deal_count(board) == SEEDED_DEALS, "the interrupted restore was finished first"


def test_anyone_may_restore_where_there_is_no_board(
    backup_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], logged_in
) -> None:
    logged_in.name = "rick"
    new_board = tmp_path / "elsewhere" / "board.sqlite3"
    code, _, err = dealboard(capsys, new_board, "restore", str(backup_file), "--yes")
    assert (code, err) == (0, "")
    assert deal_count(new_board) == SEEDED_DEALS


# -- doctor sees what a killed run left -------------------------------------------------------


def test_doctor_names_a_dead_run_s_partial_and_leaves_it(
    board: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    partial = board.parent / "backups" / f".board-20260101-090000.sqlite.partial-{dead_pid()}"
    partial.parent.mkdir()
    partial.write_bytes(b"SQLite format 3\x00" + bytes(4080))
    _, out, _ = dealboard(capsys, board, "doctor")
    [line] = [line for line in out.splitlines() if "leftovers:" in line]
    assert line.startswith("  warn  leftovers: 1 file left by a backup or restore that was killed")
    assert str(partial) in line and partial.exists(), "doctor only looks"
    assert "the next dealboard command on this board removes them" in out


def test_doctor_explains_a_board_missing_after_an_older_dealboard_s_killed_restore(
    board: Path, backup_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.rename(board, board.with_name("board.sqlite3.before-restore-20260101-090000"))
    restored = board.with_name(f".board.sqlite3.restoring-{dead_pid()}")
    shutil.copyfile(backup_file, restored)
    code, out, _ = dealboard(capsys, board, "doctor")
    assert code == 1
    assert f"  FAIL  database file: no database at {board}: a restore was killed half-way" in out
    assert str(restored) in out and "`dealboard backup` finishes the restore first" in out


def test_where_the_filesystem_has_no_hard_links_the_old_board_is_copied_aside(
    board: Path, backup_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    def no_links(*_args: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    code, _, err = dealboard(capsys, board, "restore", str(backup_file), "--yes")
    assert (code, err) == (0, "")
    [aside] = board.parent.glob("board.sqlite3.before-restore-*")
    assert names(board.parent) == ["board.sqlite3", aside.name]
    assert deal_count(aside) == SEEDED_DEALS + 1 and deal_count(board) == SEEDED_DEALS
