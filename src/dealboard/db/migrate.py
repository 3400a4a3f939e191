"""Applies Alembic migrations safely whenever a board is opened.

The rules: a database newer than this code is never touched; a SQLite file
that holds data is copied aside before its schema changes; two processes
opening an old board at once upgrade it once (the write lock or an advisory
lock serialises them, and the loser finds it already done).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.engine import URL

from dealboard.db.engine import WRITE_OPTION, build_engine, is_sqlite, sqlite_file
from dealboard.resources import migrations_folder

#: Arbitrary constant key for PostgreSQL's advisory lock around upgrades.
_PG_UPGRADE_LOCK = 0x0DEA1B0A


class DatabaseTooNew(RuntimeError):
    """The database was migrated by a newer dealboard; this one must not touch it."""


@dataclass(frozen=True)
class SchemaState:
    """Where a database stands against the migrations this code ships."""

    current: str | None
    head: str
    known: bool

    @property
    def up_to_date(self) -> bool:
        return self.current == self.head


@dataclass(frozen=True)
class Revision:
    """One migration, for `dealboard db history`."""

    revision: str
    down_revision: str | None
    message: str


def alembic_config() -> Config:
    """An Alembic config pointing at the shipped migrations folder."""
    config = Config()
    config.set_main_option("script_location", str(migrations_folder()))
    return config


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The newest migration this code knows."""
    head = _script().get_current_head()
    if head is None:
        raise RuntimeError("the migrations folder holds no revision")
    return head


def history() -> list[Revision]:
    """All migrations, oldest first."""
    revisions = list(_script().walk_revisions())
    revisions.reverse()
    return [
        Revision(r.revision, _single(r.down_revision), (r.doc or "").strip()) for r in revisions
    ]


def _single(value: str | tuple[str, ...] | None) -> str | None:
    if isinstance(value, tuple):
        return ",".join(value)
    return value


def _current(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _state_of(current: str | None) -> SchemaState:
    script = _script()
    head = head_revision()
    known = current is None or _is_known(script, current)
    return SchemaState(current=current, head=head, known=known)


def _is_known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:
        return False


def schema_state(url: URL) -> SchemaState:
    """Read-only look at the database's revision; creates and changes nothing."""
    path = sqlite_file(url)
    if path is not None and not path.exists():
        return _state_of(None)
    engine = build_engine(url)
    try:
        with engine.connect() as connection:
            return _state_of(_current(connection))
    finally:
        engine.dispose()


def too_new_message(state: SchemaState) -> str:
    """The one-line explanation shown when the database is ahead of the code."""
    return (
        f"this database is at schema revision {state.current}, newer than this dealboard "
        f"knows (newest: {state.head}); upgrade dealboard to open it. Nothing was changed."
    )


def upgrade(url: URL) -> SchemaState:
    """Bring the database to head; returns the state before. Safe to call on every open."""
    engine = build_engine(url, foreign_keys=False)
    try:
        with engine.connect() as connection:  # the usual case: a read, no lock taken
            before = _state_of(_current(connection))
        if before.up_to_date:
            return before
        with _upgrade_lock(engine.connect(), url) as connection:
            before = _state_of(_current(connection))
            if not before.known:
                raise DatabaseTooNew(too_new_message(before))
            if before.up_to_date:
                return before
            if before.current is not None:
                _backup_sqlite(url, before.current)
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            if is_sqlite(url):
                _check_foreign_keys(connection)
            return before
    finally:
        engine.dispose()


def downgrade(url: URL, revision: str) -> None:
    """Step the schema back (tests and recovery only; the CLI does not offer it)."""
    engine = build_engine(url, foreign_keys=False)
    try:
        with _upgrade_lock(engine.connect(), url) as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, revision)
    finally:
        engine.dispose()


@contextmanager
def _upgrade_lock(connection: Connection, url: URL) -> Iterator[Connection]:
    """Run the upgrade in one transaction that holds the database's write lock."""
    with connection:
        connection = connection.execution_options(**{WRITE_OPTION: True})
        with connection.begin():
            if url.get_backend_name() == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_UPGRADE_LOCK}
                )
            yield connection


def _check_foreign_keys(connection: Connection) -> None:
    problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if problems:
        raise RuntimeError(f"migration left {len(problems)} broken foreign keys; rolled back")


def _backup_sqlite(url: URL, revision: str) -> Path | None:
    """Copy a SQLite board beside itself before its schema changes."""
    path = sqlite_file(url)
    if path is None or not path.exists():
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.{revision}.{stamp}.bak")
    source = sqlite3.connect(path)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()
    return target
