"""Excel workbooks (.xlsx) in and out: Pipedrive and HubSpot export them by default.

Reading turns the first sheet into the same table a CSV file gives (header
row first, one deal per row, row numbers as Excel shows them), so every
header match and check of the CSV import applies unchanged. Cells become the
text a CSV export would hold: dates as ISO dates (a time when it has one),
numbers without float noise, true/false as words. Formulas are read as their
last computed values, never run.

Writing puts every user text in a string cell, so `=HYPERLINK(…)` in a deal
title is shown as text by every spreadsheet and never becomes a formula.
openpyxl is imported only here, when a workbook is read or written.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from dealboard.domain.exchange.csv_source import MAX_FIELD_CHARS, CsvTable
from dealboard.domain.exchange.problems import ImportRefused, Problem
from dealboard.domain.text import display_safe

#: Rows and columns no deal export reaches; a bigger sheet is refused as it is read.
MAX_ROWS = 1_000_000
MAX_COLUMNS = 500
#: Characters in all cells together (a small zip can unpack to far more than it weighs).
MAX_CHARS = 400_000_000

#: The first bytes of a zip file, which an .xlsx workbook is.
ZIP_MAGIC = b"PK\x03\x04"
#: The first bytes of an old binary Excel (.xls) file.
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_workbook(data: bytes, file: str) -> CsvTable:
    """The first sheet as a table; `ImportRefused` when it is no workbook or no table."""
    from openpyxl import load_workbook

    if data.startswith(OLE_MAGIC):
        raise _refuse(file, "an old Excel (.xls) file; save it as .xlsx or CSV UTF-8")
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise _refuse(file, f"not a readable Excel workbook (.xlsx): {exc}") from None
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # exporters often write a wrong size; read what is there
        return _table(file, sheet.title, sheet.iter_rows(values_only=True))
    except (zipfile.BadZipFile, KeyError, ValueError, SyntaxError) as exc:
        # A damaged sheet shows only while it is read (SyntaxError: its XML is broken).
        raise _refuse(file, f"the first sheet cannot be read: {exc}") from None
    finally:
        book.close()


def _table(file: str, title: str, rows: Iterable[Sequence[Any]]) -> CsvTable:
    headers: tuple[str, ...] | None = None
    records: list[tuple[int, tuple[str, ...]]] = []
    chars = 0
    for number, row in enumerate(rows, 1):
        if number > MAX_ROWS:
            raise _refuse(file, f"over {MAX_ROWS:,} rows; dealboard imports sheets up to that")
        if len(row) > MAX_COLUMNS and any(v is not None for v in row[MAX_COLUMNS:]):
            raise _refuse(file, f"over {MAX_COLUMNS} columns", number)
        cells = [_text(value) for value in row[:MAX_COLUMNS]]
        for cell in cells:
            if len(cell) > MAX_FIELD_CHARS:
                raise _refuse(file, f"a cell over {MAX_FIELD_CHARS:,} characters", number)
            chars += len(cell)
        if chars > MAX_CHARS:
            raise _refuse(file, f"over {MAX_CHARS:,} characters of cells", number)
        if not any(c.strip() for c in cells):
            continue
        if headers is None:
            while cells and not cells[-1].strip():
                cells.pop()
            headers = tuple(c.strip() for c in cells)
            _check_headers(file, headers, number)
            continue
        width = len(headers)
        if len(cells) > width:
            extra = next((i for i in range(width, len(cells)) if cells[i].strip()), None)
            if extra is not None:
                message = f"a value in column {extra + 1}, right of the last header"
                raise _refuse(file, message, number)
        cells = (cells + [""] * width)[:width]
        records.append((number, tuple(cells)))
    if headers is None:
        raise _refuse(file, "the first sheet is empty; it needs a header row naming the columns")
    return CsvTable(file, "", headers, tuple(records), sheet=title)


def _check_headers(file: str, headers: tuple[str, ...], line: int) -> None:
    seen: dict[str, int] = {}
    problems = []
    for number, header in enumerate(headers, 1):
        key = header.casefold()
        if key and key in seen:
            message = f"column {number} repeats column {seen[key]} ({header!r})"
            problems.append(Problem(file, message, line))
        seen.setdefault(key, number)
    if problems:
        raise ImportRefused(problems)


def _text(value: object) -> str:
    """A cell as the text a CSV file would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if value.time() == time():
            return value.date().isoformat()
        return value.isoformat(timespec="seconds" if not value.microsecond else "microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    return str(value)


def _refuse(file: str, message: str, line: int | None = None) -> ImportRefused:
    return ImportRefused([Problem(file, message, line)])


# -- writing -------------------------------------------------------------------


def write_workbook(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    """One sheet "Deals": a header row, then one row per deal.

    Text goes into string cells (never formulas, whatever it starts with);
    numbers, and dates without a time, go in as themselves so a spreadsheet
    can sum and sort them. Instants stay ISO text with their zone, which
    Excel cannot hold, so importing the file back is exact.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Deals")

    def cell(value: object) -> WriteOnlyCell:
        if isinstance(value, str):
            made = WriteOnlyCell(sheet, value=None)
            made.value = display_safe(value)
            made.data_type = "s"  # `=…` would otherwise become a formula
            return made
        made = WriteOnlyCell(sheet, value=value)
        if isinstance(value, date) and not isinstance(value, datetime):
            made.number_format = "yyyy-mm-dd"
        return made

    sheet.append([cell(h) for h in headers])
    for row in rows:
        sheet.append([cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
