"""A locked SQLite board: writes wait and retry, and a lock that never lifts is a plain message."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import URL

from dealboard.cli.main import main
from dealboard.db.database import Database
from dealboard.db.engine import build_engine
from dealboard.domain import retry
from dealboard.domain.board import Board, open_board
from dealboard.domain.deals import DealFields
from dealboard.domain.errors import Busy


def _sqlite_board(tmp_path: Path, busy_ms: int) -> tuple[URL, Board]:
    url = URL.create("sqlite+pysqlite", database=str(tmp_path / "locked.sqlite3"))
    open_board(url, "maria", create=True).database.dispose()
    engine = build_engine(url)

    @event.listens_for(engine, "connect")
    def _short_wait(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(f"PRAGMA busy_timeout = {busy_ms}")

    return url, Board(Database(url, engine), "maria")


def _lock(url: URL) -> sqlite3.Connection:
    """Another process's writer, holding the write lock until released."""
    holder = sqlite3.connect(str(url.database), isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    return holder


def test_a_write_waits_for_a_short_lock_and_then_succeeds(tmp_path: Path) -> None:
    url, board = _sqlite_board(tmp_path, busy_ms=50)
    holder = _lock(url)
    releaser = threading.Timer(0.3, holder.rollback)
    releaser.start()
    started = time.monotonic()
    deal_id = board.add_deal(DealFields(title="Waited for the lock"))
    releaser.join()
    assert time.monotonic() - started >= 0.25
    assert board.deal(deal_id).summary.title == "Waited for the lock"
    holder.close()
    board.database.dispose()


def test_a_lock_that_never_lifts_is_reported_as_busy_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(retry, "BACKOFF", (0.01, 0.01))
    url, board = _sqlite_board(tmp_path, busy_ms=20)
    holder = _lock(url)
    with pytest.raises(Busy, match=r"database is busy.*nothing was saved"):
        board.add_deal(DealFields(title="Never written"))
    holder.rollback()
    holder.close()
    assert board.list_deals() == []
    board.database.dispose()


def test_the_cli_reports_a_locked_database_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(retry, "BACKOFF", ())
    monkeypatch.setattr("dealboard.db.engine.SQLITE_BUSY_TIMEOUT_MS", 20)
    url, board = _sqlite_board(tmp_path, busy_ms=20)
    board.database.dispose()
    holder = _lock(url)
    code = main(
        ["--db", f"sqlite:///{url.database}", "--as", "maria", "deal", "add", "--title", "Locked"]
    )
    holder.rollback()
    holder.close()
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and "database is busy" in err
