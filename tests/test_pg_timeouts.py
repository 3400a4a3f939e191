"""PostgreSQL: a row locked by a stuck session makes a write fail "busy" in seconds, not hang.

PostgreSQL only (SQLite's busy timeout is tested in tests/test_busy.py). The
stuck session is a real second connection holding `SELECT … FOR UPDATE` on the
deal in an open transaction, as a teammate's laptop gone to sleep mid-edit would.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import OperationalError

from dealboard.cli.main import main
from dealboard.db.database import is_transient
from dealboard.db.engine import POSTGRES_LOCK_TIMEOUT_MS, build_engine
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.errors import Busy
from dealboard.domain.retry import DEADLINE_SECONDS

#: The retry deadline, the last attempt's lock wait and its pause, and room for a busy CI:
#: the README promises "busy" within about 5 s.
BUSY_WITHIN_SECONDS = DEADLINE_SECONDS + POSTGRES_LOCK_TIMEOUT_MS / 1000 + 1.6 + 1.0


@pytest.fixture(autouse=True)
def postgres_only(db_url: URL) -> None:
    if db_url.get_backend_name() != "postgresql":
        pytest.skip("needs DEALBOARD_TEST_DATABASE_URL pointing at PostgreSQL")


@pytest.fixture
def deal_id(board: Board) -> int:
    return board.add_deal(DealFields(title="Acme renewal", value="10k"))


@pytest.fixture
def stuck_session(db_url: URL, deal_id: int) -> Iterator[Connection]:
    """Another session holding the deal's row lock in a transaction it never ends."""
    engine = create_engine(db_url)
    connection = engine.connect()
    connection.begin()
    connection.execute(text("SELECT id FROM deals WHERE id = :id FOR UPDATE"), {"id": deal_id})
    yield connection
    connection.rollback()
    connection.close()
    engine.dispose()


def test_every_connection_waits_for_locks_briefly_and_for_statements_generously(
    db_url: URL,
) -> None:
    engine = build_engine(db_url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SHOW lock_timeout")).scalar() == "500ms"
            assert connection.execute(text("SHOW statement_timeout")).scalar() == "1min"
    finally:
        engine.dispose()


def test_a_write_to_a_row_a_stuck_session_holds_fails_busy_in_seconds(
    board: Board, deal_id: int, stuck_session: Connection
) -> None:
    started = time.monotonic()
    with pytest.raises(Busy, match=r"^the database is busy: .*nothing was saved, try again"):
        board.edit_deal(deal_id, DealFields(title="Never saved"))
    waited = time.monotonic() - started
    assert DEADLINE_SECONDS - 1.6 <= waited < BUSY_WITHIN_SECONDS  # it did wait and retry
    stuck_session.rollback()
    assert board.deal(deal_id).summary.title == "Acme renewal"


def test_the_cli_says_busy_in_one_line_and_exits_1(
    db_url: URL,
    deal_id: int,
    stuck_session: Connection,
    timed: object,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = db_url.render_as_string(hide_password=False)
    started = time.monotonic()
    code = main(["--db", db, "deal", "edit", str(deal_id), "--title", "Nope"])
    waited = time.monotonic() - started
    captured = capsys.readouterr()
    assert (code, captured.out) == (1, "")
    assert captured.err.startswith("dealboard: the database is busy")
    assert captured.err.count("\n") == 1 and "Traceback" not in captured.err
    assert waited < BUSY_WITHIN_SECONDS


def test_a_slow_statement_is_not_mistaken_for_a_lock_wait(db_url: URL) -> None:
    """A statement_timeout is a slow query, and running it again would be as slow."""
    engine = build_engine(db_url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SET LOCAL statement_timeout = 50"))
            with pytest.raises(OperationalError) as caught:
                # cancelled by the 50 ms timeout: never a real wait
                connection.execute(text("SELECT pg_sleep(:seconds)"), {"seconds": 5})
    finally:
        engine.dispose()
    assert "statement timeout" in str(caught.value)
    assert not is_transient(caught.value)


def test_a_lock_timeout_is_transient(db_url: URL, deal_id: int, stuck_session: Connection) -> None:
    engine = build_engine(db_url)
    try:
        locking = text("SELECT id FROM deals WHERE id = :id FOR UPDATE")
        with engine.connect() as connection, pytest.raises(OperationalError) as caught:
            connection.execute(locking, {"id": deal_id})
    finally:
        engine.dispose()
    assert getattr(caught.value.orig, "sqlstate", None) == "55P03"
    assert is_transient(caught.value)
