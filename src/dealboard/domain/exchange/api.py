"""The names `Board` uses from this package, gathered in one place."""

from __future__ import annotations

from dealboard.domain.exchange.board_json import export_board
from dealboard.domain.exchange.csv_export import export_csv, export_xlsx
from dealboard.domain.exchange.csv_plan import CsvOptions, ImportPlan
from dealboard.domain.exchange.csv_reading import plan_import
from dealboard.domain.exchange.csv_source import CsvTable, decode, read_table
from dealboard.domain.exchange.csv_write import ImportResult, write_plan
from dealboard.domain.exchange.problems import ImportRefused, Problem
from dealboard.domain.exchange.restore import (
    CheckedExport,
    RestoreResult,
    checked_export,
    require_empty,
    restore,
)


def table_of(data: bytes, file: str, options: CsvOptions) -> CsvTable:
    """The file's table: the first sheet of a workbook, or CSV text."""
    if options.workbook:
        from dealboard.domain.exchange.xlsx import read_workbook

        return read_workbook(data, file)
    return read_table(decode(data, file), file)


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
    "export_xlsx",
    "plan_import",
    "read_table",
    "require_empty",
    "restore",
    "table_of",
    "write_plan",
]
