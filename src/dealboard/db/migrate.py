"""Applies Alembic migrations safely whenever a board is opened.

The rules: a database newer than this code is never touched; a SQLite file
that holds data is copied aside before its schema changes; two processes
opening an old board at once upgrade it once (the write lock or an advisory
lock serialises them, the others wait for it however long it takes, and
then find it already done).

Opening a board that is already at the newest schema, the usual case, costs
one small read and no Alembic: the revision stored in `alembic_version` is
compared with the head found in the migration files themselves, each of which
declares `revision = "…"` and `down_revision = …`. Alembic (a fifth of a
second to import) is loaded only to change the schema or to list its history.
"""

from __future__ import annotations

import ast
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.engine import URL

from dealboard.db import files
from dealboard.db.engine import WRITE_OPTION, build_engine, is_sqlite, sqlite_file
from dealboard.resources import ResourceMissing, migrations_folder

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

#: Arbitrary constant key for PostgreSQL's advisory lock around upgrades.
_PG_UPGRADE_LOCK = 0x0DEA1B0A
#: How long a process opening an old board waits while another one upgrades it, in seconds.
#: Far beyond a writer's usual wait: the upgrade of a big board takes a while, and
#: failing "busy" would only make the user try again into the same wait.
UPGRADE_WAIT_SECONDS = 300
#: Where Alembic keeps a database's revision.
_VERSION_TABLE = "alembic_version"
#: The files Alembic reads as revisions: `*.py`, not `__init__.py` nor an editor's `.#` lock.
_REVISION_FILE = re.compile(r"^(?!\.#|__init__).*\.py$")
#: A top-level `revision = …` or `down_revision = …`, annotated or not.
_DECLARATION = re.compile(r"^(revision|down_revision)[ \t]*(?::[^=\n]*)?=(.*)$", re.MULTILINE)


class DatabaseTooNew(RuntimeError):
    """The database was migrated by a newer dealboard; this one must not touch it."""


class MigrationsUnreadable(ResourceMissing):
    """The shipped migrations do not form one line of revisions ending in a single head."""


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


# -- the migration files, read without Alembic ---------------------------------


def read_revisions(versions: Path) -> dict[str, tuple[str, ...]]:
    """Every revision in the `versions` folder, with the revisions it follows (two for a merge).

    The declarations are read as text: importing the files would import
    Alembic's operations and SQLAlchemy's DDL for nothing.
    """
    revisions: dict[str, tuple[str, ...]] = {}
    for path in sorted(versions.glob("*.py")):
        if not _REVISION_FILE.match(path.name):
            continue
        declared = _declarations(path)
        revision = declared.get("revision")
        if not isinstance(revision, str) or not revision:
            raise MigrationsUnreadable(f'{path}: no revision = "…" line')
        if revision in revisions:
            raise MigrationsUnreadable(f"{path}: revision {revision} is declared in two files")
        revisions[revision] = _down_revisions(path, declared.get("down_revision"))
    return revisions


def find_head(revisions: dict[str, tuple[str, ...]]) -> str:
    """The one revision no other follows; refuses a branch, a gap or a loop, as Alembic would."""
    if not revisions:
        raise MigrationsUnreadable("the migrations folder holds no revision")
    for revision, follows in revisions.items():
        for earlier in follows:
            if earlier not in revisions:
                raise MigrationsUnreadable(
                    f"revision {revision} follows {earlier}, which is not in the migrations folder"
                )
    followed = {earlier for follows in revisions.values() for earlier in follows}
    heads = sorted(set(revisions) - followed)
    if len(heads) > 1:
        raise MigrationsUnreadable(
            f"the migrations folder has {len(heads)} heads ({', '.join(heads)}); "
            "merge them into one (alembic merge)"
        )
    stranded = sorted(set(revisions) - _lineage(heads[0], revisions)) if heads else []
    if not heads or stranded:
        raise MigrationsUnreadable(
            f"revisions {', '.join(stranded or sorted(revisions))} follow each other in a loop"
        )
    return heads[0]


def _lineage(head: str, revisions: dict[str, tuple[str, ...]]) -> set[str]:
    """`head` and every revision it follows, however indirectly."""
    seen: set[str] = set()
    waiting = [head]
    while waiting:
        revision = waiting.pop()
        if revision not in seen:
            seen.add(revision)
            waiting.extend(revisions[revision])
    return seen


def _declarations(path: Path) -> dict[str, object]:
    """The values of the file's `revision` and `down_revision` (the last one wins, as in Python)."""
    source = path.read_text(encoding="utf-8")
    return {match[1]: _constant(path, match) for match in _DECLARATION.finditer(source)}


def _constant(path: Path, match: re.Match[str]) -> object:
    """The constant assigned on the matched line; a merge's tuple may run on over the next lines."""
    name, expression = match[1], match[2]
    following = iter(match.string[match.end() :].splitlines()[1:])
    while True:
        try:
            return ast.literal_eval(expression.strip())
        except SyntaxError:
            line = next(following, None)
            if line is None:
                break
            expression += "\n" + line
        except ValueError:
            break
    raise MigrationsUnreadable(f"{path}: {name} is not a plain string, tuple or None")


def _down_revisions(path: Path, value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, tuple | list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise MigrationsUnreadable(f"{path}: down_revision is not a revision, a tuple of them or None")


def head_revision() -> str:
    """The newest migration this code knows."""
    return find_head(read_revisions(migrations_folder() / "versions"))


# -- Alembic, imported only when it has work to do -------------------------------


def alembic_config() -> Config:
    """An Alembic config pointing at the shipped migrations folder."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_folder()))
    return config


def _config_on(connection: Connection) -> Config:
    config = alembic_config()
    config.attributes["connection"] = connection
    return config


def _script() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config())


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


# -- the database's side ----------------------------------------------------------


def stored_revision(connection: Connection) -> str | None:
    """The revision recorded in the database; None when it was never migrated.

    Reads what Alembic's `MigrationContext.get_current_revision()` reads,
    without importing Alembic.
    """
    if not inspect(connection).has_table(_VERSION_TABLE):
        return None
    stored = connection.execute(text(f"SELECT version_num FROM {_VERSION_TABLE}")).scalars().all()
    if len(stored) > 1:
        raise RuntimeError(
            f"{_VERSION_TABLE} holds {len(stored)} revisions ({', '.join(stored)}); "
            "dealboard's migrations never branch, so this database was changed by hand"
        )
    return stored[0] if stored else None


def _state_of(current: str | None) -> SchemaState:
    revisions = read_revisions(migrations_folder() / "versions")
    known = current is None or current in revisions
    return SchemaState(current=current, head=find_head(revisions), known=known)


def _read_state(engine: Engine) -> SchemaState:
    with engine.connect() as connection:
        current = stored_revision(connection)
    return _state_of(current)


def schema_state(url: URL) -> SchemaState:
    """Read-only look at the database's revision; creates and changes nothing."""
    path = sqlite_file(url)
    if path is not None and not path.exists():
        return _state_of(None)
    engine = build_engine(url)
    try:
        return _read_state(engine)
    finally:
        engine.dispose()


def too_new_message(state: SchemaState) -> str:
    """The one-line explanation shown when the database is ahead of the code."""
    return (
        f"this database is at schema revision {state.current}, newer than this dealboard "
        f"knows (newest: {state.head}); upgrade dealboard to open it. Nothing was changed."
    )


def upgrade(url: URL, *, engine: Engine | None = None) -> SchemaState:
    """Bring the database to head; returns the state before. Safe to call on every open.

    The usual case, already at head, is one read: no lock, no Alembic. Given
    the board's own `engine`, that read runs on it, so opening a board
    connects once. The schema itself is changed through an engine of its
    own (without foreign keys: SQLite's batch migrations rebuild tables).
    """
    before = _read_state(engine) if engine is not None else schema_state(url)
    if before.up_to_date:
        return before
    if not before.known:
        raise DatabaseTooNew(too_new_message(before))
    return _upgrade_to_head(url)


def _upgrade_to_head(url: URL) -> SchemaState:
    """Run the migrations under the write lock; a second process finds them done."""
    from alembic import command

    engine = build_engine(url, foreign_keys=False)
    try:
        with _upgrade_lock(engine.connect(), url) as connection:
            before = _state_of(stored_revision(connection))
            if not before.known:
                raise DatabaseTooNew(too_new_message(before))
            if before.up_to_date:
                return before
            if before.current is not None:
                _backup_sqlite(url, before.current)
            command.upgrade(_config_on(connection), "head")
            if is_sqlite(url):
                _check_foreign_keys(connection)
            return before
    finally:
        engine.dispose()


def downgrade(url: URL, revision: str) -> None:
    """Step the schema back (tests and recovery only; the CLI does not offer it)."""
    from alembic import command

    engine = build_engine(url, foreign_keys=False)
    try:
        with _upgrade_lock(engine.connect(), url) as connection:
            command.downgrade(_config_on(connection), revision)
    finally:
        engine.dispose()


@contextmanager
def _upgrade_lock(connection: Connection, url: URL) -> Iterator[Connection]:
    """Run the upgrade in one transaction that holds the database's write lock.

    Whoever comes second waits for the first upgrade to finish (up to
    `UPGRADE_WAIT_SECONDS`), then finds it done: SQLite's `BEGIN IMMEDIATE`
    gets a long busy timeout on this connection only; PostgreSQL waits on an
    advisory lock with a long `lock_timeout` and no `statement_timeout`, both
    for this transaction only (`SET LOCAL`).
    """
    with connection:
        if is_sqlite(url):
            raw = connection.connection.dbapi_connection
            assert raw is not None
            raw.execute(f"PRAGMA busy_timeout = {UPGRADE_WAIT_SECONDS * 1000}")
        connection = connection.execution_options(**{WRITE_OPTION: True})
        with connection.begin():
            if url.get_backend_name() == "postgresql":
                connection.execute(text(f"SET LOCAL lock_timeout = '{UPGRADE_WAIT_SECONDS}s'"))
                connection.execute(text("SET LOCAL statement_timeout = 0"))
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_UPGRADE_LOCK}
                )
            yield connection


def _check_foreign_keys(connection: Connection) -> None:
    problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if problems:
        raise RuntimeError(f"migration left {len(problems)} broken foreign keys; rolled back")


def _backup_sqlite(url: URL, revision: str) -> Path | None:
    """Copy a SQLite board beside itself before its schema changes.

    The copy holds every deal, so it is created with the board's rule (0600, or
    0660 in a shared folder) rather than SQLite's 0644.
    """
    path = sqlite_file(url)
    if path is None or not path.exists():
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.{revision}.{stamp}.bak")
    files.create_file(target)  # private (or the team's) before a byte of the board is in it
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
