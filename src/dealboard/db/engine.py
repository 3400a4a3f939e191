"""Turns a database URL into a configured SQLAlchemy engine.

SQLite gets WAL (readers never wait for the writer), a busy timeout, foreign
keys, and explicit transactions: writes begin with `BEGIN IMMEDIATE`, because a
deferred transaction that reads and then writes fails at once with
SQLITE_BUSY_SNAPSHOT when another writer got in between; the busy timeout
cannot help there. Reads begin deferred so they never queue behind a writer.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from platformdirs import user_data_path
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

from dealboard.db import files, leftovers, zones

#: Environment variable that selects the database when `--db` is not given.
DATABASE_URL_ENV = "DEALBOARD_DATABASE_URL"
#: How long a SQLite writer waits for another writer, in milliseconds.
SQLITE_BUSY_TIMEOUT_MS = 2000
#: How long a PostgreSQL statement waits for a row or table lock, in milliseconds. Short,
#: because `domain.retry` runs a write again until its deadline (`DEADLINE_SECONDS`):
#: several short waits, so a write stuck behind a lock is "busy" within about 5 s.
POSTGRES_LOCK_TIMEOUT_MS = 500
#: The longest any PostgreSQL statement may run, in milliseconds: far above the slowest
#: report at 100,000 deals, low enough that a runaway query does not hold a connection.
POSTGRES_STATEMENT_TIMEOUT_MS = 60_000
#: Execution option marking a connection whose transaction will write.
WRITE_OPTION = "dealboard_write"
#: SQL function on every SQLite connection: Python's `str.casefold()` (SQLite's own
#: `lower()` folds ASCII only), so SQL filters fold text exactly as the in-memory ones.
SQLITE_FOLD_FUNCTION = "dealboard_fold"


def casefold_or_none(value: object) -> str | None:
    """What `dealboard_fold(x)` returns: NULL stays NULL, anything else is casefolded text."""
    return None if value is None else str(value).casefold()


def default_database_path() -> Path:
    """The embedded board: one SQLite file in the platform's user data folder."""
    return user_data_path("dealboard", appauthor=False) / "dealboard.sqlite3"


def resolve_database_url(explicit: str | None = None) -> URL:
    """The URL chosen by `--db`, else the environment, else the embedded default."""
    raw = explicit or os.environ.get(DATABASE_URL_ENV) or ""
    if not raw.strip():
        return URL.create("sqlite+pysqlite", database=str(default_database_path()))
    return make_url(raw.strip())


def is_sqlite(url: URL) -> bool:
    """True for any SQLite driver."""
    return url.get_backend_name() == "sqlite"


def sqlite_file(url: URL) -> Path | None:
    """The file behind a SQLite URL, or None for an in-memory database."""
    if not is_sqlite(url) or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).expanduser()


def build_engine(url: URL, *, foreign_keys: bool = True) -> Engine:
    """An engine for `url`; SQLite files and their folder are created, private, on first connect.

    `foreign_keys=False` is for the migration runner only: batch migrations
    rebuild tables, and a rebuild under enforced foreign keys would cascade.
    """
    kwargs: dict[str, Any] = {"future": True}
    path = sqlite_file(url)
    if is_sqlite(url):
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
    else:
        kwargs["pool_pre_ping"] = True
    engine = create_engine(url, **kwargs)
    if is_sqlite(url):
        if path is not None:
            _prepare_file_on_connect(engine, path)
        _configure_sqlite(engine, foreign_keys=foreign_keys)
    else:
        _configure_postgres(engine)
    return engine


def _configure_postgres(engine: Engine) -> None:
    """No JIT compilation: a board's queries answer in milliseconds, and PostgreSQL's
    planner, over-estimating the per-deal subqueries of a badge filter, would spend
    200 ms compiling what runs in 150 (measured at 100,000 deals).

    And no waiting forever: PostgreSQL waits on a row lock for as long as the
    session holding it lives, so a teammate's stuck session (a laptop asleep
    mid-transaction) would freeze every write to that deal. `lock_timeout`
    makes the wait fail like SQLite's busy timeout (SQLSTATE 55P03, which
    `database.is_transient` knows); `statement_timeout` stops anything else.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        with dbapi_connection.cursor() as cursor:
            cursor.execute(
                f"SET jit = off; SET lock_timeout = {POSTGRES_LOCK_TIMEOUT_MS}; "
                f"SET statement_timeout = {POSTGRES_STATEMENT_TIMEOUT_MS}"
            )
        dbapi_connection.commit()


def _prepare_file_on_connect(engine: Engine, path: Path) -> None:
    """Before SQLite opens the file: settle what a killed restore or backup left, and
    create a missing board private (0600, or 0660 in a shared folder; see `files`).

    Runs at connect, not here: building an engine creates nothing, so a command
    can still ask whether the board exists before it connects.
    """
    settled: list[bool] = []  # once per engine: a scan of the folder, not one per connection

    @event.listens_for(engine, "do_connect")
    def _before_connect(*_args: Any) -> None:
        if not settled:
            settled.append(True)
            leftovers.settle_board(path)
        try:
            files.prepare_board_file(path)
        except OSError as exc:  # the driver's error type, so callers see one kind of failure
            where = exc.filename or path
            raise sqlite3.OperationalError(f"cannot create {where}: {exc.strerror}") from exc


def _use_wal(cursor: Any) -> None:
    """Put the file in WAL mode (it stays so): only a new board's first connections switch it.

    Switching needs the file to itself, and SQLite does not wait for that with
    the busy timeout: several people opening a brand-new board at once would
    get "database is locked" from one of them. A board already in WAL mode
    (every board but a new one) is only asked; a switch that collides is tried
    again for as long as the busy timeout, then reported as the busy error.
    """
    if str(cursor.execute("PRAGMA journal_mode").fetchone()[0]).lower() == "wal":
        return
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)  # the other connection's switch takes a moment


def _configure_sqlite(engine: Engine, *, foreign_keys: bool) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from the sqlite3 module; we say BEGIN.
        dbapi_connection.isolation_level = None
        dbapi_connection.create_function(
            SQLITE_FOLD_FUNCTION, 1, casefold_or_none, deterministic=True
        )
        dbapi_connection.create_function(
            zones.SQLITE_LOCAL_DATE_FUNCTION, 2, zones.local_date_text, deterministic=True
        )
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            _use_wal(cursor)
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        writing = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")
