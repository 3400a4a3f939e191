"""`dealboard backup` and `restore`: consistent copies of a live SQLite board, safe swaps.

Backups are a SQLite matter, so these tests make SQLite boards of their own
whichever engine the suite runs on; PostgreSQL appears only to be refused.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import URL

from dealboard.cli.main import main
from dealboard.db import migrate
from dealboard.db.backup import BACKUP_FOLDER
from dealboard.domain.board import Board, open_board
from dealboard.domain.deals import DealFields

WRITER = Path(__file__).with_name("backup_writer.py")
#: A deal count that makes the board a few hundred kilobytes.
SEEDED_DEALS = 60


def sqlite_url(path: Path) -> URL:
    return URL.create("sqlite+pysqlite", database=str(path))


@pytest.fixture(scope="module")
def seeded_board(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One SQLite board with deals, made once and copied for each test."""
    path = tmp_path_factory.mktemp("seeded") / "board.sqlite3"
    board = open_board(sqlite_url(path), "maria", create=True)
    for number in range(SEEDED_DEALS):
        board.add_deal(DealFields(title=f"Seeded deal {number}", value="12k", account="Acme"))
    board.database.dispose()
    return path


@pytest.fixture
def board_path(seeded_board: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "sales"
    folder.mkdir()
    path = folder / "board.sqlite3"
    shutil.copyfile(seeded_board, path)
    os.chmod(path, 0o644)  # as SQLite creates it
    return path


@pytest.fixture
def live(board_path: Path) -> Iterator[Board]:
    board = open_board(sqlite_url(board_path), "maria")
    yield board
    board.database.dispose()


def dealboard(
    capsys: pytest.CaptureFixture[str], path: Path | URL, *args: str
) -> tuple[int, str, str]:
    url = path if isinstance(path, URL) else sqlite_url(path)
    code = main(["--db", url.render_as_string(hide_password=False), "--as", "maria", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def copy_counts(path: Path) -> tuple[str, int, int]:
    """Integrity, deals, and the transitions that created deals, read from a copy."""
    with sqlite3.connect(f"{path.as_uri()}?immutable=1", uri=True) as copy:
        integrity = copy.execute("PRAGMA integrity_check").fetchone()[0]
        deals = copy.execute("SELECT count(*) FROM deals").fetchone()[0]
        created = copy.execute(
            "SELECT count(*) FROM stage_transitions WHERE from_stage_id IS NULL"
        ).fetchone()[0]
    return integrity, deals, created


def snapshot(folder: Path) -> dict[str, str]:
    """Every file in the folder and a hash of its bytes: proof that nothing changed."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def deal_count(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return connection.execute("SELECT count(*) FROM deals").fetchone()[0]


# -- backup -----------------------------------------------------------------------------


def test_a_backup_is_a_private_checked_copy_beside_the_board(
    board_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = dealboard(capsys, board_path, "backup")
    assert (code, err) == (0, "")
    [copy] = (board_path.parent / BACKUP_FOLDER).iterdir()
    assert copy.name.startswith("board-") and copy.suffix == ".sqlite"
    assert out == (
        f"backed up {copy} ({copy.stat().st_size / 1024:.1f} kB, {SEEDED_DEALS} deals, "
        f"schema {migrate.head_revision()})\n"
    )
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert stat.S_IMODE(copy.parent.stat().st_mode) == 0o700
    assert copy_counts(copy) == ("ok", SEEDED_DEALS, SEEDED_DEALS)
    assert copy.read_bytes()[18:20] == b"\x01\x01", "one self-contained file, not WAL"
    assert not [p for p in copy.parent.iterdir() if p != copy], "no partial files left"


def test_a_shared_board_s_backup_keeps_its_group(
    board_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    os.chmod(board_path.parent, 0o2770)
    os.chmod(board_path, 0o660)
    code, _, err = dealboard(capsys, board_path, "backup")
    assert (code, err) == (0, "")
    folder = board_path.parent / BACKUP_FOLDER
    [copy] = folder.iterdir()
    assert stat.S_IMODE(copy.stat().st_mode) == 0o660
    assert copy.stat().st_gid == board_path.stat().st_gid
    assert stat.S_IMODE(folder.stat().st_mode) == 0o2770


def test_a_backup_never_replaces_a_file_unless_forced(
    board_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "keep.sqlite"
    target.write_text("precious")
    code, out, err = dealboard(capsys, board_path, "backup", str(target))
    assert (code, out) == (2, "")
    assert err == (
        f"dealboard: {target} already exists; choose another FILE or add --force to replace it\n"
    )
    assert target.read_text() == "precious"
    code, _, _ = dealboard(capsys, board_path, "backup", str(target), "--force")
    assert code == 0
    assert copy_counts(target) == ("ok", SEEDED_DEALS, SEEDED_DEALS)


def test_a_folder_given_as_file_gets_a_dated_backup_inside(
    board_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "usb"
    folder.mkdir()
    assert dealboard(capsys, board_path, "backup", str(folder))[0] == 0
    assert dealboard(capsys, board_path, "backup", str(folder))[0] == 0
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 2, "two backups in one second get different names"
    assert all(n.startswith("board-") for n in names)


def test_no_board_no_backup(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nothing.sqlite3"
    code, out, err = dealboard(capsys, missing, "backup")
    assert (code, out) == (1, "")
    assert err == f"dealboard: there is no board at {missing}; nothing to back up\n"
    assert not missing.exists()


@pytest.mark.slow
def test_backups_taken_while_another_process_writes_are_whole_and_consistent(
    board_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    writer = subprocess.Popen(
        [sys.executable, str(WRITER), sqlite_url(board_path).render_as_string(), "wendy"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert writer.stdout is not None and writer.stdout.readline() == "writing\n"
        copies = []
        for number in range(4):
            time.sleep(0.25)
            target = tmp_path / f"during-{number}.sqlite"
            code, _, err = dealboard(capsys, board_path, "backup", str(target))
            assert (code, err) == (0, "")
            copies.append(target)
        summary_text, errors = writer.communicate("stop\n", timeout=10)
    finally:
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    assert writer.returncode == 0, errors
    summary = json.loads(summary_text)
    counts = [copy_counts(copy) for copy in copies]
    for integrity, deals, created in counts:
        assert integrity == "ok"
        assert deals == created, "every deal in a copy comes with the move that created it"
    seen = [deals for _, deals, _ in counts]
    assert seen == sorted(seen) and seen[0] > SEEDED_DEALS and seen[-1] > seen[0], seen
    assert deal_count(board_path) == SEEDED_DEALS + summary["added"] > seen[-1]
    assert summary["slowest_seconds"] < 1.5, "a backup must not hold writers up"


# -- restore ----------------------------------------------------------------------------


def test_restore_puts_the_backup_back_and_keeps_the_current_board_aside(
    live: Board, board_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "monday.sqlite"
    assert dealboard(capsys, board_path, "backup", str(backup))[0] == 0
    live.add_deal(DealFields(title="Made after the backup"))
    live.database.dispose()
    code, out, err = dealboard(capsys, board_path, "restore", str(backup), "--yes")
    assert (code, err) == (0, "")
    [aside] = board_path.parent.glob("board.sqlite3.before-restore-*")
    assert out == (
        f"restored {backup} ({SEEDED_DEALS} deals) to {board_path}\n"
        f"the previous board is kept as {aside}\n"
    )
    assert deal_count(board_path) == SEEDED_DEALS
    assert copy_counts(aside) == ("ok", SEEDED_DEALS + 1, SEEDED_DEALS + 1)
    assert stat.S_IMODE(board_path.stat().st_mode) == 0o644, "the board keeps its mode"
    assert sorted(p.name for p in board_path.parent.iterdir()) == ["board.sqlite3", aside.name]
    titles = [d.title for d in open_board(sqlite_url(board_path), "maria").list_deals()]
    assert "Made after the backup" not in titles and len(titles) == SEEDED_DEALS


def test_restore_of_an_older_schema_upgrades_it(
    board_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old.sqlite"
    assert dealboard(capsys, board_path, "backup", str(old))[0] == 0
    previous = migrate.history()[-2].revision
    migrate.downgrade(sqlite_url(old), previous)
    code, out, err = dealboard(capsys, board_path, "restore", str(old), "--yes")
    assert (code, err) == (0, "")
    assert out.endswith(f"upgraded its schema from {previous} to {migrate.head_revision()}\n")
    assert migrate.schema_state(sqlite_url(board_path)).up_to_date
    assert deal_count(board_path) == SEEDED_DEALS


def _corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    data[page * 2 : page * 6] = b"\xa5" * (page * 4)
    path.write_bytes(bytes(data))


def _newer(path: Path) -> None:
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffff_future'")


def _not_a_board(path: Path) -> None:
    path.unlink()
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE notes (text TEXT)")


def _text_file(path: Path) -> None:
    path.write_text("name,value\nAcme,12k\n")


@pytest.mark.parametrize(
    ("spoil", "code", "message"),
    [
        (_text_file, 2, "is not a SQLite database (it does not start with the SQLite header)"),
        (_corrupt, 2, "is damaged ("),
        (_not_a_board, 2, "is a SQLite database but not a dealboard board"),
        (_newer, 1, "is at schema revision ffff_future, newer than this dealboard knows"),
    ],
    ids=["not-sqlite", "corrupted", "not-a-board", "newer-schema"],
)
def test_restore_refuses_a_bad_file_in_one_line_and_changes_nothing(
    board_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    spoil,
    code: int,
    message: str,
) -> None:
    backup = tmp_path / "spoilt.sqlite"
    assert dealboard(capsys, board_path, "backup", str(backup))[0] == 0
    spoil(backup)
    before, backup_before = snapshot(board_path.parent), backup.read_bytes()
    result, out, err = dealboard(capsys, board_path, "restore", str(backup), "--yes")
    assert (result, out) == (code, "")
    assert err.startswith(f"dealboard: {backup} {message}") and err.count("\n") == 1, err
    assert "nothing was changed" in err.lower()
    assert snapshot(board_path.parent) == before
    assert backup.read_bytes() == backup_before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sales", "spoilt.sqlite"]


def test_restore_refuses_while_the_board_is_open(
    live: Board, board_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "b.sqlite"
    assert dealboard(capsys, board_path, "backup", str(backup))[0] == 0
    live.list_deals()  # a board on someone's screen keeps a connection open
    code, out, err = dealboard(capsys, board_path, "restore", str(backup), "--yes")
    assert (code, out) == (1, "")
    assert err == (
        f"dealboard: {board_path} is open elsewhere (a board on screen or a running command); "
        "close every dealboard using it, then restore again. Nothing was changed.\n"
    )
    assert not list(board_path.parent.glob("*before-restore*"))
    assert len(live.list_deals()) == SEEDED_DEALS, "the open board goes on working"


def test_restore_off_a_terminal_needs_yes(
    board_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "b.sqlite"
    assert dealboard(capsys, board_path, "backup", str(backup))[0] == 0
    before = snapshot(board_path.parent)
    code, out, err = dealboard(capsys, board_path, "restore", str(backup))
    assert (code, out) == (2, "")
    assert err == (
        f"dealboard: restore replaces the board at {board_path}; add --yes to confirm "
        "(nothing was changed)\n"
    )
    assert snapshot(board_path.parent) == before


def test_restore_of_a_missing_file(
    board_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = dealboard(capsys, board_path, "restore", str(tmp_path / "nope"), "--yes")
    assert code == 2
    assert err == f"dealboard: {tmp_path / 'nope'}: no such file; nothing was changed\n"


@pytest.mark.parametrize(("command", "tool"), [("backup", "pg_dump"), ("restore", "pg_restore")])
def test_postgresql_boards_are_pointed_to_their_own_tools(
    command: str, tool: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = URL.create("postgresql+psycopg", username="sales", host="127.0.0.1", port=1)
    args = [command] + ([str(tmp_path / "x.sqlite")] if command == "restore" else [])
    code, out, err = dealboard(capsys, url, *args)
    assert (code, out) == (2, "")
    assert err == (
        f"dealboard: {command} is for SQLite boards; for PostgreSQL use {tool} (see README)\n"
    )


def test_restore_onto_a_new_place_needs_nothing_aside(
    board_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "b.sqlite"
    assert dealboard(capsys, board_path, "backup", str(backup))[0] == 0
    new_board = tmp_path / "new" / "board.sqlite3"
    code, out, err = dealboard(capsys, new_board, "restore", str(backup), "--yes")
    assert (code, err) == (0, "")
    assert out == f"restored {backup} ({SEEDED_DEALS} deals) to {new_board}\n"
    assert [p.name for p in new_board.parent.iterdir()] == ["board.sqlite3"]
    assert stat.S_IMODE(new_board.stat().st_mode) == 0o600


@pytest.mark.parametrize(("answer", "restored"), [("n", False), ("y", True)])
def test_restore_on_a_terminal_asks_first(
    board_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    restored: bool,
) -> None:
    backup = tmp_path / "b.sqlite"
    assert dealboard(capsys, board_path, "backup", str(backup))[0] == 0
    before = snapshot(board_path.parent)
    questions: list[str] = []
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda prompt: questions.append(prompt) or answer)
    code, out, err = dealboard(capsys, board_path, "restore", str(backup))
    assert questions == ["Replace the board? [y/N] "]
    assert out.startswith(
        f"restore {backup} (schema {migrate.head_revision()}, {SEEDED_DEALS} deals, "
    )
    assert "the current board will be kept as " in out
    if restored:
        assert (code, err) == (0, "")
        assert len(list(board_path.parent.glob("*.before-restore-*"))) == 1
    else:
        assert (code, err) == (2, "dealboard: restore cancelled; nothing was changed\n")
        assert snapshot(board_path.parent) == before
