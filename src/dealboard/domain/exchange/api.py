"""The names `Board` uses from this package, gathered in one place."""

from __future__ import annotations

from sqlalchemy.orm import Session

from dealboard.domain.exchange.board_json import export_board
from dealboard.domain.exchange.csv_export import export_csv
from dealboard.domain.exchange.csv_plan import CsvOptions, ImportPlan
from dealboard.domain.exchange.csv_reading import plan_import
from dealboard.domain.exchange.csv_source import decode, read_table
from dealboard.domain.exchange.csv_write import ImportResult, write_plan
from dealboard.domain.exchange.problems import ImportRefused, Problem
from dealboard.domain.exchange.restore import (
    RestoreResult,
    check_document,
    load_document,
    require_empty,
    restore,
    result_of,
)


def consistent_read(session: Session) -> None:
    """Make every query of this read see one moment (PostgreSQL reads each statement afresh).

    SQLite's read transaction already keeps one snapshot from its first query on.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


__all__ = [
    "CsvOptions",
    "ImportPlan",
    "ImportRefused",
    "ImportResult",
    "Problem",
    "RestoreResult",
    "check_document",
    "consistent_read",
    "decode",
    "export_board",
    "export_csv",
    "load_document",
    "plan_import",
    "read_table",
    "require_empty",
    "restore",
    "result_of",
    "write_plan",
]
