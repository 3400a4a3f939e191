"""Migrations both ways on the selected engine, models in step with them, and safe upgrades."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.engine import URL

from dealboard.db import migrate
from dealboard.db.engine import SQLITE_BUSY_TIMEOUT_MS, build_engine
from dealboard.db.models import Base
from dealboard.resources import migrations_folder


def table_names(url: URL) -> set[str]:
    engine = build_engine(url)
    try:
        with engine.connect() as connection:
            return set(inspect(connection).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_from_empty_to_head_and_back_to_base(empty_db_url: URL) -> None:
    before = migrate.upgrade(empty_db_url)
    assert before.current is None
    state = migrate.schema_state(empty_db_url)
    assert state.up_to_date and state.current == migrate.head_revision()
    assert {"deals", "stages", "audit_log", "checklist_ticks"} <= table_names(empty_db_url)
    migrate.downgrade(empty_db_url, "base")
    assert table_names(empty_db_url) <= {"alembic_version"}
    assert migrate.schema_state(empty_db_url).current is None
    migrate.upgrade(empty_db_url)
    assert migrate.schema_state(empty_db_url).up_to_date


def test_models_and_migrations_agree(empty_db_url: URL) -> None:
    migrate.upgrade(empty_db_url)
    engine = build_engine(empty_db_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_upgrading_twice_changes_nothing(empty_db_url: URL) -> None:
    migrate.upgrade(empty_db_url)
    assert migrate.upgrade(empty_db_url).up_to_date


def test_a_database_newer_than_the_code_is_left_untouched(empty_db_url: URL) -> None:
    migrate.upgrade(empty_db_url)
    engine = build_engine(empty_db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff_future'"))
    engine.dispose()
    with pytest.raises(migrate.DatabaseTooNew, match="ffff_future, newer than this dealboard"):
        migrate.upgrade(empty_db_url)
    assert migrate.schema_state(empty_db_url).current == "ffff_future"


NEXT_REVISION = """\"\"\"a later change, for the test

Revision ID: 9999
Revises: {head}
\"\"\"

import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("later", sa.Column("id", sa.Integer, primary_key=True))


def downgrade():
    op.drop_table("later")
"""


def test_an_existing_sqlite_board_is_copied_before_its_schema_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "board.sqlite3"
    url = URL.create("sqlite+pysqlite", database=str(path))
    migrate.upgrade(url)
    assert not list(tmp_path.glob("*.bak")), "a new board needs no copy"
    with sqlite3.connect(path) as connection:
        connection.execute(
            "INSERT INTO pipelines (name, title, description, currency, created_at)"
            " VALUES ('kept', 'Kept', '', 'USD', '2026-01-01')"
        )
    shipped_head = migrate.head_revision()
    newer = tmp_path / "newer"
    newer.mkdir()
    monkeypatch.chdir(newer)
    shutil.copytree(
        migrations_folder(), newer / "migrations", ignore=shutil.ignore_patterns("__pycache__")
    )
    (newer / "migrations" / "versions" / "9999_later.py").write_text(
        NEXT_REVISION.format(head=shipped_head)
    )
    monkeypatch.setattr(migrate, "migrations_folder", lambda: newer / "migrations")
    before = migrate.upgrade(url)
    assert before.current == shipped_head
    copies = list(tmp_path.glob("board.sqlite3.*.bak"))
    assert len(copies) == 1
    with sqlite3.connect(copies[0]) as backup:
        assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == (
            shipped_head,
        )
        assert backup.execute("SELECT name FROM pipelines").fetchall() == [("kept",)]
    assert "later" in table_names(url)
    migrate.downgrade(url, shipped_head)
    assert "later" not in table_names(url)


def test_sqlite_boards_use_wal_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    url = URL.create("sqlite+pysqlite", database=str(tmp_path / "b.sqlite3"))
    engine = build_engine(url)
    try:
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert (
                connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == SQLITE_BUSY_TIMEOUT_MS
            )
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        engine.dispose()
