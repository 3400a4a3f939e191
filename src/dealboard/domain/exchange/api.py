"""The names `Board` uses from this package, gathered in one place."""

from __future__ import annotations

from dealboard.domain.exchange.board_json import export_board
from dealboard.domain.exchange.csv_export import export_csv
from dealboard.domain.exchange.csv_plan import CsvOptions, ImportPlan
from dealboard.domain.exchange.csv_reading import plan_import
from dealboard.domain.exchange.csv_source import decode, read_table
from dealboard.domain.exchange.csv_write import ImportResult, write_plan
from dealboard.domain.exchange.problems import ImportRefused, Problem
from dealboard.domain.exchange.restore import (
    CheckedExport,
    RestoreResult,
    checked_export,
    require_empty,
    restore,
)

__all__ = [
    "CheckedExport",
    "CsvOptions",
    "ImportPlan",
    "ImportRefused",
    "ImportResult",
    "Problem",
    "RestoreResult",
    "checked_export",
    "decode",
    "export_board",
    "export_csv",
    "plan_import",
    "read_table",
    "require_empty",
    "restore",
    "write_plan",
]
