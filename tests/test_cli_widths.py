"""Printed tables: what you type back is never cut, and `deal list` fits the terminal it is on."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.engine import URL

from dealboard.cli.table_widths import cell_width
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from test_cli import Cli

LONG_LOGIN = "richard.hendricks.piedpiper"
LONG_TITLE = "Compression platform licence for the whole Hooli XYZ division, 3-year"


@pytest.fixture
def cli(board: Board, db_url: URL, capsys: pytest.CaptureFixture[str]) -> Cli:
    """The command line on the test board, run in-process."""
    return Cli(db_url, capsys)


def test_user_list_shows_every_login_whole(cli: Cli, board: Board) -> None:
    board.add_user(LONG_LOGIN, "Richard Hendricks", "rep")
    code, out, _ = cli("user", "list")
    assert code == 0
    assert LONG_LOGIN in out and "…" not in out
    header, *rows = out.splitlines()
    assert header.index("NAME") == len(LONG_LOGIN) + 2  # the column grew to the login
    assert any(row.startswith(f"{LONG_LOGIN}  Richard Hendricks") for row in rows)


def test_deal_list_into_a_pipe_keeps_full_width_and_whole_values(
    cli: Cli, board: Board, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "60")  # not a terminal: ignored, scripts get whole rows
    board.add_user(LONG_LOGIN, "Richard Hendricks", "rep")
    board.add_deal(DealFields(title="Short", value="USD 12,345,678.90", owner=LONG_LOGIN))
    code, out, _ = cli("deal", "list")
    assert code == 0
    header, row = out.splitlines()
    assert LONG_LOGIN in row and "USD 12,345,678.90" in row
    assert cell_width(header) > 134


def dealboard_on_a_terminal(db: str, *args: str, columns: int) -> str:
    """Run `dealboard` with its output on a real pseudo-terminal `columns` wide."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": str(columns), "LINES": "24"}
    process = subprocess.Popen(
        [sys.executable, "-m", "dealboard", "--db", db, *args],
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=60) == 0, process.stderr.read() if process.stderr else ""
    return b"".join(chunks).decode().replace("\r\n", "\n")


def dealboard(db: str, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "dealboard", "--db", db, *args], check=True, timeout=60)


@pytest.mark.slow
def test_deal_list_on_an_80_column_terminal_narrows_titles_and_accounts_only(
    tmp_path: Path,
) -> None:
    db = f"sqlite:///{tmp_path / 'b.sqlite3'}"
    dealboard(db, "init")
    dealboard(db, "user", "add", "richard")
    dealboard(db, "user", "add", LONG_LOGIN)
    dealboard(
        db,
        "deal",
        "add",
        "--title",
        LONG_TITLE,
        "--account",
        "Hooli Holdings International",
        "--value",
        "USD 1,234,567.00",
        "--owner",
        "richard",
    )
    shown = dealboard_on_a_terminal(db, "deal", "list", columns=80)
    lines = shown.splitlines()
    assert lines and all(cell_width(line) <= 80 for line in lines), shown
    assert "richard" in lines[1] and "USD 1,234,567.00" in lines[1]
    assert lines[1].startswith("1 ")
    assert "Compressio" in lines[1] and "Hooli" in lines[1] and "…" in lines[1]  # gave way

    wide = dealboard_on_a_terminal(db, "deal", "list", columns=200)
    assert LONG_TITLE[:33] in wide and "Hooli Holdings Inte…" in wide  # room: the full layout

    dealboard(db, "deal", "edit", "1", "--owner", LONG_LOGIN)
    too_long = dealboard_on_a_terminal(db, "deal", "list", columns=80)
    assert LONG_LOGIN in too_long  # wider than the terminal rather than cut
