"""Real databases for every test: a SQLite file per test, or PostgreSQL when asked.

Set DEALBOARD_TEST_DATABASE_URL to a PostgreSQL URL to run the whole suite
against it; each test run works in its own schema, dropped afterwards. An
unreachable server fails the run: it is never silently skipped.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from clock import FixedClock
from dealboard.cli import session
from dealboard.db.database import Database
from dealboard.db.migrate import upgrade
from dealboard.domain import identity
from dealboard.domain.board import Board, open_board

TEST_DATABASE_ENV = "DEALBOARD_TEST_DATABASE_URL"
MANAGER = "maria"
REP = "rick"


def postgres_base_url() -> URL | None:
    raw = os.environ.get(TEST_DATABASE_ENV, "").strip()
    return make_url(raw) if raw else None


def in_schema(base: URL, schema: str) -> URL:
    """The URL with every connection's search_path set to `schema`."""
    return base.update_query_dict({"options": f"-csearch_path={schema}"})


class PostgresSchemas:
    """Creates throwaway schemas on the test server and drops them at the end."""

    def __init__(self, base: URL) -> None:
        self.base = base
        self.admin = create_engine(base, isolation_level="AUTOCOMMIT")
        self.created: list[str] = []

    def new(self) -> URL:
        schema = f"dbt_{uuid.uuid4().hex[:12]}"
        with self.admin.connect() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        self.created.append(schema)
        return in_schema(self.base, schema)

    def drop_all(self) -> None:
        with self.admin.connect() as connection:
            for schema in self.created:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        self.admin.dispose()


class Login:
    """Who the in-process command line believes is logged in (see `logged_in`)."""

    def __init__(self, name: str) -> None:
        self.name = name


@pytest.fixture(autouse=True)
def logged_in(monkeypatch: pytest.MonkeyPatch) -> Login:
    """In-process commands run as maria, the test board's first user, unless a test switches.

    The real login is the OS account (SQLite) or the database role (PostgreSQL),
    the same for every test here; tests of that run `dealboard` in a subprocess,
    which this does not reach.
    """
    login = Login(MANAGER)
    monkeypatch.setattr(identity, "login_for", lambda _database: login.name)
    return login


@pytest.fixture(autouse=True)
def fresh_user(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test as a new user on a full-colour terminal: no saved settings, no own themes.

    Without this the board would pick up the developer's settings.toml and theme
    files, and a plain `TERM=xterm` would switch every snapshot to the mono theme.
    """
    home = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TEXTUAL_COLOR_SYSTEM", raising=False)
    return home


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresSchemas | None]:
    base = postgres_base_url()
    if base is None:
        yield None
        return
    schemas = PostgresSchemas(base)
    try:
        with schemas.admin.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # the run must fail, not skip
        pytest.exit(f"{TEST_DATABASE_ENV} is set but PostgreSQL is unreachable: {exc}", 1)
    yield schemas
    schemas.drop_all()


@pytest.fixture(scope="session")
def migrated_template(postgres: PostgresSchemas | None, tmp_path_factory: pytest.TempPathFactory):
    """One migrated database to clone from, so tests do not each run every migration."""
    if postgres is not None:
        url = postgres.new()
        upgrade(url)
        return url
    path = tmp_path_factory.mktemp("template") / "board.sqlite3"
    upgrade(URL.create("sqlite+pysqlite", database=str(path)))
    return path


_TABLES = (
    "audit_log",
    "changes",
    "bant_answers",
    "stage_templates",
    "activities",
    "objections",
    "stakeholders",
    "research_notes",
    "checklist_ticks",
    "stage_transitions",
    "deal_tags",
    "deals",
    "contacts",
    "accounts",
    "goals",
    "saved_views",
    "pipeline_revisions",
    "stage_criteria",
    "stages",
    "pipelines",
    "users",
)


@pytest.fixture
def db_url(migrated_template: URL | Path, tmp_path: Path) -> URL:
    """A migrated, empty board database for one test (on the selected engine)."""
    if isinstance(migrated_template, Path):
        target = tmp_path / "board.sqlite3"
        shutil.copyfile(migrated_template, target)
        return URL.create("sqlite+pysqlite", database=str(target))
    engine = create_engine(migrated_template)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {', '.join(_TABLES)} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return migrated_template


@pytest.fixture
def empty_db_url(postgres: PostgresSchemas | None, tmp_path: Path) -> URL:
    """A database with no schema at all, for migration tests."""
    if postgres is not None:
        return postgres.new()
    return URL.create("sqlite+pysqlite", database=str(tmp_path / "empty.sqlite3"))


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Switch the process's time zone (the user's); it is put back afterwards."""

    def use(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield use
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def board(db_url: URL, clock: FixedClock) -> Iterator[Board]:
    """The seven-step board, opened by its first user (who is therefore a manager)."""
    opened = open_board(db_url, MANAGER, clock)
    yield opened
    opened.database.dispose()


@pytest.fixture
def rep_board(board: Board, clock: FixedClock) -> Iterator[Board]:
    """The same board as seen by a rep."""
    board.add_user(REP, "Rick Rep", "rep")
    opened = Board(Database(board.database.url), REP, clock)
    yield opened
    opened.database.dispose()


@pytest.fixture
def timed(monkeypatch: pytest.MonkeyPatch, clock: FixedClock) -> FixedClock:
    """The command line reads the test's clock, not the wall's."""

    def opened(url: URL, actor: str | None = None, **kwargs: object) -> Board:
        return open_board(url, actor, clock, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(session, "open_board", opened)
    return clock
