"""One open board: the engine plus the two kinds of transaction the rules need."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from dealboard.db.engine import WRITE_OPTION, build_engine, is_sqlite

#: PostgreSQL states worth running the whole transaction again for:
#: serialization failure, deadlock detected, lock not available (`lock_timeout`, NOWAIT).
_TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
#: query_canceled: transient only when a lock wait was what ran out, never for a
#: `statement_timeout` on a slow query (running that again would be as slow).
_QUERY_CANCELED = "57014"


#: How a PostgreSQL read sees one moment without being able to change it.
_SNAPSHOT = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}


class TransientWriteError(Exception):
    """The write lost a race for a lock; running it again from the start may succeed.

    Raised instead of the driver's error so callers can retry the whole
    transaction without knowing which engine they talk to.
    """


def is_transient(error: BaseException) -> bool:
    """SQLite "database is locked/busy"; PostgreSQL: a deadlock, a serialization failure,
    or a lock wait that ran out (`lock_timeout`)."""
    if not isinstance(error, DBAPIError):
        return False
    original = error.orig
    sqlstate = getattr(original, "sqlstate", None)
    message = str(original).lower()
    if sqlstate in _TRANSIENT_SQLSTATES:
        return True
    if sqlstate == _QUERY_CANCELED:
        return "lock timeout" in message
    return "database is locked" in message or "database is busy" in message


class Database:
    """Hands out sessions: `read()` for queries, `write()` for changes.

    A write session commits when its block ends and rolls back on any
    exception, so a refused rule or a bad value leaves nothing half-written.
    """

    def __init__(self, url: URL, engine: Engine | None = None) -> None:
        self.url = url
        self.engine = engine if engine is not None else build_engine(url)
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(
            self.engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )

    @property
    def is_sqlite(self) -> bool:
        """SQLite needs a few things PostgreSQL does not (backups before upgrades)."""
        return is_sqlite(self.url)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """One consistent, read-only look: every query sees the same moment, no lock is taken.

        SQLite's deferred read transaction keeps one snapshot from its first query
        on and never waits for a writer (WAL). PostgreSQL reads each statement
        afresh unless asked, so its reads run REPEATABLE READ and READ ONLY: a
        screen never shows a pipeline from one commit beside deals from another.
        Rolled back at the end.
        """
        session = self._reader()
        try:
            if not self.is_sqlite:
                session.connection(execution_options=_SNAPSHOT)
            yield session
        finally:
            session.rollback()
            session.close()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One all-or-nothing change (BEGIN IMMEDIATE on SQLite)."""
        session = self._writer()
        try:
            with session.begin():
                yield session
        except DBAPIError as exc:
            if is_transient(exc):
                raise TransientWriteError(str(exc.orig)) from exc
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        """Close pooled connections (tests and the CLI call this on exit)."""
        self.engine.dispose()
