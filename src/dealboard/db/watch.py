"""Telling open boards that the database changed, cheaply and without polling tables.

SQLite: `PRAGMA data_version` on one dedicated connection changes only when
another connection commits, so reading it is a few microseconds and needs no
table scan. PostgreSQL: a writer sends `NOTIFY dealboard` inside its own
transaction (delivered only if it commits), and each board LISTENs on one
dedicated connection; after a lost connection the watcher says so, and the
board reloads everything, because notifications sent meanwhile are gone.
"""

from __future__ import annotations

import sqlite3
import threading
import zlib
from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from dealboard.db.engine import is_sqlite, sqlite_file

#: How often SQLite's data_version is read, in seconds.
SQLITE_POLL_SECONDS = 0.15
#: How long to wait before reconnecting a lost PostgreSQL listener.
RECONNECT_SECONDS = 1.0


def channel_for(url: URL) -> str:
    """The NOTIFY channel of one board: boards in other databases or schemas stay quiet."""
    where = f"{url.database}|{url.query.get('options', '')}"
    return f"dealboard_{zlib.crc32(where.encode()):08x}"


def announce(session: Session, deal_id: int | None) -> None:
    """Queue a notification for when this transaction commits (PostgreSQL; no-op on SQLite)."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_notify(:channel, :payload)"),
            {
                "channel": channel_for(bind.engine.url),
                "payload": "" if deal_id is None else str(deal_id),
            },
        )


class Watcher:
    """Runs in a background thread; calls `changed(full_reload)` when others commit.

    `full_reload` is True after a reconnect, when what happened meanwhile is
    unknown. `stop()` ends the thread within one poll interval.
    """

    def __init__(self, url: URL, changed: Callable[[bool], None]) -> None:
        self.url = url
        self.changed = changed
        self._stopping = threading.Event()
        #: Set once the watcher has its starting point: commits from then on are noticed.
        self.listening = threading.Event()

    def stop(self) -> None:
        self._stopping.set()

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def run(self) -> None:
        """Watch until stopped (call from a worker thread)."""
        if is_sqlite(self.url):
            self._watch_sqlite()
        else:
            self._watch_postgres()

    def _watch_sqlite(self) -> None:
        path = sqlite_file(self.url)
        if path is None:  # an in-memory board has no other writers
            self.listening.set()
            return
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        try:
            last = _data_version(connection)
            self.listening.set()
            while not self._stopping.wait(SQLITE_POLL_SECONDS):
                current = _data_version(connection)
                if current != last:
                    last = current
                    self.changed(False)
        finally:
            connection.close()

    def _watch_postgres(self) -> None:
        import psycopg

        first = True
        while not self.stopping:
            try:
                with psycopg.connect(_libpq_dsn(self.url), autocommit=True) as connection:
                    connection.execute(f"LISTEN {channel_for(self.url)}")
                    self.listening.set()
                    if not first:
                        self.changed(True)
                    first = False
                    while not self.stopping:
                        if any(True for _ in connection.notifies(timeout=0.25, stop_after=64)):
                            self.changed(False)
            except psycopg.OperationalError:
                self._stopping.wait(RECONNECT_SECONDS)


def _data_version(connection: sqlite3.Connection) -> int:
    row: Any = connection.execute("PRAGMA data_version").fetchone()
    return int(row[0])


def _libpq_dsn(url: URL) -> str:
    """The SQLAlchemy URL as a libpq connection string (driver name removed)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)
