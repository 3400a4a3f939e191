"""Reading CSV files as people really save them: byte-order marks, `,` `;` or tab, quoted newlines.

Files are decoded as UTF-8 (a byte-order mark is dropped; UTF-16 with its mark
is read too, as Excel's "Unicode text" writes it). The delimiter is the one of
`,` `;` and tab that splits the header row into the most columns. Every record
keeps the line it starts on, so problems can name it; a broken quote is
reported at the line where the quoted field began.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from dealboard.domain.exchange.problems import ImportRefused, Problem

DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
#: Size limits a real sales team never reaches, so a broken or hostile file is refused in
#: moments, before it is parsed: a CRM export of 100,000 deals is about 30 MB;
#: a row of 21 columns with 20,000-character notes is about 420,000 characters, and no
#: single value may be longer than a note (20,000) by much.
MAX_FILE_BYTES = 100_000_000
MAX_LINE_CHARS = 1_000_000
MAX_FIELD_CHARS = 100_000
#: Cells starting with one of these were prefixed with `'` on export (formula neutralising).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class CsvTable:
    """A header row and the records under it, each with the line it starts on."""

    file: str
    delimiter: str
    headers: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]
    #: The worksheet's name when the table came from an Excel workbook.
    sheet: str | None = None

    @property
    def delimiter_name(self) -> str:
        return _DELIMITER_NAMES.get(self.delimiter, "")

    @property
    def read_as(self) -> str:
        """How the file was read, for the import's summary."""
        if self.sheet is not None:
            return f"the first sheet of an Excel workbook ({self.sheet!r})"
        return f"{self.delimiter_name}-separated UTF-8"

    @property
    def neutralised(self) -> bool:
        """Whether a leading `'` may be the export's formula guard (CSV only: a workbook
        holds text as text, so its cells are read exactly)."""
        return self.sheet is None


def decode(data: bytes, file: str) -> str:
    """The file's text; a file that is not UTF-8 is refused, naming the line of the bad byte."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise _refuse(file, f"broken UTF-16 text ({exc.reason})") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        byte = data[exc.start]
        message = (
            f"byte 0x{byte:02X} is not UTF-8; save the file as UTF-8 "
            "(in Excel: CSV UTF-8) and import it again"
        )
        raise ImportRefused([Problem(file, message, line)]) from exc


def read_table(text: str, file: str) -> CsvTable:
    """Parse the whole file; raises `ImportRefused` for a file that is not a usable table."""
    if not text.strip():
        raise _refuse(file, "the file is empty; it needs a header row naming the columns")
    _check_line_lengths(text, file)
    delimiter = sniff_delimiter(text)
    records = _records(text, file, delimiter)
    first = next((r for r in records if any(c.strip() for c in r[1])), None)
    if first is None:
        raise _refuse(file, "no header row; the first line must name the columns")
    header_line, raw_headers = first
    headers = tuple(h.strip() for h in raw_headers)
    _check_headers(headers, file, header_line)
    rows: list[tuple[int, tuple[str, ...]]] = []
    problems: list[Problem] = []
    width = len(headers)
    for line, cells in records:
        if not cells or all(not c.strip() for c in cells):
            continue  # blank lines and rows of empty cells are not deals
        if len(cells) > width and not any(c.strip() for c in cells[width:]):
            cells = cells[:width]  # a trailing delimiter
        if len(cells) != width:
            problems.append(Problem(file, _width_message(len(cells), width, delimiter), line))
            continue
        rows.append((line, tuple(cells)))
    if problems:
        raise ImportRefused(problems)
    return CsvTable(file, delimiter, headers, tuple(rows))


def _check_line_lengths(text: str, file: str) -> None:
    """Refuse a line over `MAX_LINE_CHARS` before the csv module builds its fields.

    `str.find` walks the text once without copying it, so a 100 MB line costs
    milliseconds here instead of seconds and a gigabyte in the parser.
    """
    start, line, end_of_text = 0, 1, len(text)
    while start <= end_of_text:
        end = text.find("\n", start)
        if end == -1:
            end = end_of_text
        if end - start > MAX_LINE_CHARS:
            message = (
                f"this line has {end - start:,} characters; at most {MAX_LINE_CHARS:,} "
                "(is it a CSV file?)"
            )
            raise ImportRefused([Problem(file, message, line)])
        start, line = end + 1, line + 1


def unneutralise(cell: str) -> str:
    """Undo the export's formula guard: `'=SUM(A1)` reads back as `=SUM(A1)`."""
    if cell.startswith("'"):
        rest = cell.lstrip("'")
        if rest.startswith(FORMULA_STARTS):
            return cell[1:]
    return cell


def sniff_delimiter(text: str) -> str:
    """`,`, `;` or tab: whichever splits the header row into the most columns.

    On a tie the next rows decide (the delimiter that gives them the header's
    width); a comma wins a full tie.
    """
    sample = text[:65536]
    widths: dict[str, list[int]] = {}
    for delimiter in DELIMITERS:
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        counts: list[int] = []
        try:
            for row in reader:
                counts.append(len(row))
                if len(counts) == 6:
                    break
        except csv.Error:
            pass
        widths[delimiter] = counts or [0]

    def score(delimiter: str) -> tuple[int, int]:
        counts = widths[delimiter]
        steady = sum(1 for c in counts[1:] if c == counts[0])
        return counts[0], steady

    return max(DELIMITERS, key=score)


def _records(text: str, file: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """Each record with the line it starts on.

    The csv module's field limit is process-wide; it is set to
    `MAX_FIELD_CHARS` here, so an overlong value (often a quote that never
    closes) stops the parser as soon as it is seen.
    """
    csv.field_size_limit(MAX_FIELD_CHARS)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    last = 0
    while True:
        start = last + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field limit" in str(exc):
                raise _refuse_long_field(file, start) from None
            raise ImportRefused([_broken_quote(text, file, delimiter, start, reader, exc)]) from exc
        last = reader.line_num
        yield start, cells


def _broken_quote(
    text: str, file: str, delimiter: str, start: int, reader: object, error: csv.Error
) -> Problem:
    """Say where a quoting mistake is: the line a quoted field starts on, and its column."""
    lines = io.StringIO(text, newline="").readlines()
    record = "".join(lines[start - 1 :])
    headers = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
    field, line, quoted_at = 0, start, None
    index = 0
    at_field_start = True
    in_quotes = False
    while index < len(record):
        char = record[index]
        if in_quotes:
            if char == '"':
                if record[index + 1 : index + 2] == '"':
                    index += 2
                    continue
                in_quotes = False
                after = record[index + 1 : index + 2]
                if after not in ("", delimiter, "\n", "\r"):
                    column = headers[field] if field < len(headers) else None
                    return Problem(
                        file,
                        "a quoted value must end at its closing quote, here it goes on after it "
                        '(write "" for a quote inside quotes)',
                        line,
                        column,
                    )
            elif char == "\n" or (char == "\r" and record[index + 1 : index + 2] != "\n"):
                line += 1
        elif at_field_start and char == '"':
            in_quotes, quoted_at = True, line
            at_field_start = False
        elif char == delimiter:
            field += 1
            at_field_start = True
        elif char in "\r\n":
            line += 1
            field, at_field_start = 0, True
            if char == "\r" and record[index + 1 : index + 2] == "\n":
                index += 1
        else:
            at_field_start = False
        index += 1
    if in_quotes and quoted_at is not None:
        column = headers[field] if field < len(headers) else None
        return Problem(
            file,
            "this quoted value has no closing quote (the file ends inside it)",
            quoted_at,
            column,
        )
    return Problem(file, f"not readable as CSV ({error})", getattr(reader, "line_num", start))


def _check_headers(headers: tuple[str, ...], file: str, line: int) -> None:
    problems = []
    seen: dict[str, int] = {}
    for number, header in enumerate(headers, 1):
        if not header:
            continue
        key = header.casefold()
        if key in seen:
            problems.append(
                Problem(file, f"column {number} repeats column {seen[key]} ({header!r})", line)
            )
        seen.setdefault(key, number)
    if problems:
        raise ImportRefused(problems)


def _width_message(found: int, width: int, delimiter: str) -> str:
    name = _DELIMITER_NAMES[delimiter]
    fields = "1 field" if found == 1 else f"{found} fields"
    message = f"{fields} where the header has {width} columns"
    if found == 1:
        return f"{message}; is this row separated by another character than a {name}?"
    if found > width:
        return f"{message}; a value containing a {name} must be in double quotes"
    return message + "; every row needs one value per column (empty ones too)"


def _refuse_long_field(file: str, line: int) -> ImportRefused:
    message = (
        f"a value of the record starting here is over {MAX_FIELD_CHARS:,} characters "
        "(a quote that never closes?)"
    )
    return ImportRefused([Problem(file, message, line)])


def _refuse(file: str, message: str) -> ImportRefused:
    return ImportRefused([Problem(file, message)])
