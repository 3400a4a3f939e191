"""A board's files are its owner's (or its team's) alone, and `doctor` proves them whole.

These make SQLite boards in tmp_path whichever engine the suite runs on: file
modes and page checks are a SQLite matter.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import URL

from dealboard.cli.main import main
from dealboard.db import health, migrate
from dealboard.domain.board import open_board
from dealboard.domain.deals import DealFields


def sqlite_url(path: Path) -> URL:
    return URL.create("sqlite+pysqlite", database=str(path))


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def finding_line(out: str, name: str) -> str:
    [line] = [line for line in out.splitlines() if line[8:].startswith(f"{name}:")]
    return line


@pytest.fixture(params=[0o022, 0o000], ids=["umask-022", "umask-000"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    """The user's umask while the test runs (a permissive one must not widen anything)."""
    previous = os.umask(request.param)
    yield request.param
    os.umask(previous)


@pytest.fixture
def local_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    table = tmp_path / "mounts"
    table.write_text("/dev/sda1 / ext4 rw,relatime 0 0\n")
    monkeypatch.setattr(health, "MOUNTS_TABLE", table)


@pytest.fixture
def board_file(tmp_path: Path) -> Path:
    """A private board with a few deals, closed."""
    path = tmp_path / "sales" / "board.sqlite3"
    board = open_board(sqlite_url(path), "maria", create=True)
    for number in range(30):
        board.add_deal(DealFields(title=f"Deal {number}", account="Acme", value="5k"))
    board.database.dispose()
    return path


def test_a_new_board_its_journals_and_its_folder_are_private_whatever_the_umask(
    tmp_path: Path, umask: int
) -> None:
    path = tmp_path / "data" / "dealboard" / "board.sqlite3"
    board = open_board(sqlite_url(path), "maria", create=True)
    try:
        board.add_deal(DealFields(title="Acme renewal"))
        wal, shm = (path.with_name(path.name + s) for s in ("-wal", "-shm"))
        assert wal.exists() and shm.exists(), "the board is open in WAL mode"
        assert [mode_of(p) for p in (path, wal, shm)] == [0o600, 0o600, 0o600]
        assert mode_of(path.parent) == mode_of(path.parent.parent) == 0o700
    finally:
        board.database.dispose()


def test_a_board_made_in_a_shared_folder_stays_open_to_the_team(tmp_path: Path, umask: int) -> None:
    team = tmp_path / "srv"
    team.mkdir()
    os.chmod(team, 0o2770)
    path = team / "sales" / "board.sqlite3"
    board = open_board(sqlite_url(path), "maria", create=True)
    try:
        board.add_deal(DealFields(title="Team deal"))
        files = [path, *(path.with_name(path.name + s) for s in ("-wal", "-shm"))]
        assert [mode_of(p) for p in files] == [0o660, 0o660, 0o660]
        assert {p.stat().st_gid for p in files} == {team.stat().st_gid}
        assert mode_of(path.parent) == 0o2770
    finally:
        board.database.dispose()


def test_an_existing_file_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "board.sqlite3"
    path.touch()
    os.chmod(path, 0o640)
    open_board(sqlite_url(path), "maria", create=True).database.dispose()
    assert mode_of(path) == 0o640, "dealboard never re-modes a file someone set up"


def test_the_copy_taken_before_a_migration_is_private(board_file: Path, umask: int) -> None:
    previous = migrate.history()[-2].revision
    migrate.downgrade(sqlite_url(board_file), previous)
    migrate.upgrade(sqlite_url(board_file))
    [copy] = board_file.parent.glob("*.bak")
    assert mode_of(copy) == 0o600
    assert not [p for p in board_file.parent.iterdir() if mode_of(p) & 0o077]


def test_a_backup_and_its_folder_are_private_whatever_the_umask(
    board_file: Path, umask: int, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--db", f"sqlite:///{board_file}", "backup")
    assert (code, err) == (0, "")
    [copy] = (board_file.parent / "backups").iterdir()
    assert (mode_of(copy), mode_of(copy.parent)) == (0o600, 0o700)


# -- doctor: permissions ----------------------------------------------------------------


def test_doctor_fails_a_board_other_users_can_read(
    board_file: Path, local_disk: None, capsys: pytest.CaptureFixture[str]
) -> None:
    os.chmod(board_file, 0o644)
    code, out, _ = run(capsys, "doctor", "--db", f"sqlite:///{board_file}")
    assert code == 1
    line = finding_line(out, "file permissions")
    assert line.startswith("  FAIL  file permissions: mode 0644") and "customer data" in line
    assert f"fix: chmod o-rwx {board_file}" in out


@pytest.mark.parametrize(
    ("name", "mode"),
    [("board.sqlite3-wal", 0o644), ("backups/board-20260101-090000.sqlite", 0o604),
     ("board.sqlite3.0007.20260101T090000Z.bak", 0o606),
     ("board.sqlite3.before-restore-20260101-090000", 0o644)],
    ids=["wal", "backup", "migration-copy", "before-restore"],
)  # fmt: skip
def test_doctor_fails_a_journal_or_copy_other_users_can_read(
    board_file: Path, local_disk: None, capsys: pytest.CaptureFixture[str], name: str, mode: int
) -> None:
    exposed = board_file.parent / name
    exposed.parent.mkdir(exist_ok=True)
    exposed.write_bytes(board_file.read_bytes() if "wal" not in name else b"")
    os.chmod(exposed, mode)
    code, out, _ = run(capsys, "doctor", "--db", f"sqlite:///{board_file}")
    assert code == 1
    assert finding_line(out, "file permissions").startswith("  ok  ")
    line = finding_line(out, "copies")
    assert (
        line.startswith("  FAIL  copies: every user on this machine can read")
        and str(exposed) in line
    )
    assert f"fix: chmod o-rwx {exposed}" in out


def test_doctor_passes_a_private_board_with_private_copies(
    board_file: Path, local_disk: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, "--db", f"sqlite:///{board_file}", "backup")[0] == 0
    code, out, _ = run(capsys, "doctor", "--db", f"sqlite:///{board_file}")
    assert finding_line(out, "copies").startswith("  ok    copies: 1 journal and copy files")
    assert finding_line(out, "integrity").startswith("  ok    integrity: quick check")
    assert (code, out.splitlines()[-1]) == (0, "all checks passed"), out


# -- doctor: integrity --------------------------------------------------------------------


def corrupt_a_page(path: Path) -> None:
    """Garbage over one page in the middle of the file, as a bad disk or a stray write would."""
    with sqlite3.connect(path) as connection:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        [(root,)] = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'deals'")
    connection.close()
    assert pages > 3
    with path.open("r+b") as file:
        file.seek((root - 1) * page_size)
        file.write(b"\xa5" * page_size)


@pytest.mark.parametrize("full", [False, True], ids=["quick", "full"])
def test_doctor_fails_a_board_with_a_damaged_page_and_says_to_restore(
    board_file: Path, local_disk: None, capsys: pytest.CaptureFixture[str], full: bool
) -> None:
    corrupt_a_page(board_file)
    before = board_file.read_bytes()
    code, out, err = run(
        capsys, "doctor", "--db", f"sqlite:///{board_file}", *(["--full"] if full else [])
    )
    assert (code, err) == (1, "")
    line = finding_line(out, "integrity")
    check = "integrity_check" if full else "quick_check"
    assert line.startswith(f"  FAIL  integrity: {check}"), out
    [fix] = [f for f in out.splitlines() if f.startswith("        fix: ") and "restore" in f]
    assert "dealboard restore FILE" in fix and str(board_file.parent / "backups") in fix
    assert board_file.read_bytes() == before, "doctor changes nothing"
    assert not list(board_file.parent.glob("*-wal"))


def test_doctor_full_runs_the_complete_check_on_a_healthy_board(
    board_file: Path, local_disk: None, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "doctor", "--full", "--db", f"sqlite:///{board_file}")
    assert code == 0, out
    assert finding_line(out, "integrity") == "  ok    integrity: full integrity check: ok"


def test_a_board_that_cannot_be_created_is_one_line_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "afile").write_text("not a folder")
    path = tmp_path / "afile" / "board.sqlite3"
    code, out, err = run(capsys, "init", "--db", f"sqlite:///{path}")
    assert (code, out) == (1, "")
    assert err == f"dealboard: cannot use the database: cannot create {path}: Not a directory\n"
