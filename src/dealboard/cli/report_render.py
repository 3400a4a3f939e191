"""Reports printed as an aligned table, a Markdown table or CSV, from one description.

A report's view (`report_views`) is a few heading lines and sections of typed
cells; this module decides how each kind of cell reads in each format:

| cell      | table (80 columns)       | Markdown           | CSV columns                       |
| --------- | ------------------------ | ------------------ | --------------------------------- |
| text      | cut to fit, left         | `\\|` escaped       | `key` (formula-neutralised)       |
| count     | `1,234`, right           | same               | `key`                             |
| rate      | `75% (3/4)`, `—` if n=0  | same               | `key_percent`, `key_count`, `key_n` |
| money     | `$12.5k`, a line a currency | `USD 12,500.00` | `key_USD` … (major units)   |
| average   | `$2k (n=2)` per currency | `USD 2,000.00 (n=2)` | `key_USD`, `key_USD_n` …        |
| amount    | one amount, compact      | full               | `key` (major units)               |
| duration  | `3.5d`, `5.0h`, `12m`    | same               | `key_days`                        |
| sample    | `3.5d (n=4)`             | same               | `key_days`, `key_n`               |

Every string from the database passes `display_safe` (tables) and CSV cells a
spreadsheet would run as formulas get a leading `'` (`exchange.csv_export.neutralise`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum
from typing import Any

from dealboard.cli.output import cell_width, fit
from dealboard.domain.exchange.csv_export import major_units, neutralise
from dealboard.domain.money import Money, format_compact, format_money
from dealboard.domain.reports import CurrencyTotal, Duration, Rate
from dealboard.domain.text import display_safe

#: The widest the first (label) column of a table gets.
LABEL_WIDTH = 24
_NONE = "—"


class Kind(Enum):
    """What a column holds, and so how each format writes it."""

    TEXT = "text"
    COUNT = "count"
    RATE = "rate"
    MONEY = "money"
    AVERAGE = "average"
    AMOUNT = "amount"
    DURATION = "duration"
    SAMPLE = "sample"


@dataclass(frozen=True)
class Column:
    """A heading for people, a key for CSV, and the kind of its cells."""

    title: str
    key: str
    kind: Kind = Kind.TEXT


@dataclass(frozen=True)
class Section:
    """One table of a report; its last `total` rows (totals) are set off by a rule."""

    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    total: int = 0


@dataclass(frozen=True)
class View:
    """A report as printed: heading lines, then its sections."""

    heading: tuple[str, ...]
    sections: tuple[Section, ...]


def duration_text(value: timedelta | None) -> str:
    """`12m`, `5.0h`, `3.5d`: one unit, one decimal; `—` when unknown."""
    if value is None:
        return _NONE
    seconds = value.total_seconds()
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86_400:
        return f"{seconds / 3600:.1f}h"
    return f"{seconds / 86_400:.1f}d"


def rate_text(value: Rate | None) -> str:
    """`75% (3/4)`; `—` when there is nothing to divide by."""
    if value is None or value.percent is None:
        return _NONE
    return f"{round(value.percent)}% ({value.hits}/{value.n})"


def _money_text(totals: Sequence[CurrencyTotal], full: bool) -> str:
    show = format_money if full else format_compact
    return " + ".join(show(t.total_minor, t.currency) for t in totals) or _NONE


def _average_text(totals: Sequence[CurrencyTotal], full: bool) -> str:
    show = format_money if full else format_compact
    parts = [
        f"{show(t.average_minor, t.currency)} (n={t.count})"
        for t in totals
        if t.average_minor is not None
    ]
    return " + ".join(parts) or _NONE


def cell_text(kind: Kind, value: Any, *, full: bool = False) -> str:
    """A cell as people read it (`full` money for Markdown, compact for the terminal)."""
    if kind is Kind.TEXT:
        return str(value)
    if kind is Kind.COUNT:
        return f"{value:,}"
    if kind is Kind.RATE:
        return rate_text(value)
    if kind is Kind.MONEY:
        return _money_text(value, full)
    if kind is Kind.AVERAGE:
        return _average_text(value, full)
    if kind is Kind.AMOUNT:
        if value is None:
            return _NONE
        return (format_money if full else format_compact)(value.minor, value.currency)
    if kind is Kind.DURATION:
        return duration_text(value)
    duration: Duration = value
    text = duration_text(duration.value)
    return text if duration.value is None else f"{text} (n={duration.n})"


def table_text(view: View) -> str:
    """Aligned for a terminal: the label column cut to fit, everything else right-aligned.

    Amounts in several currencies take a line each, so a row stays within 80 columns.
    """
    lines = [display_safe(line) for line in view.heading]
    for section in view.sections:
        lines += ["", display_safe(section.title)] if section.title else [""]
        rows = [
            [_parts(c.kind, v) for c, v in zip(section.columns, row, strict=True)]
            for row in section.rows
        ]
        widths = [
            max(
                [cell_width(col.title)]
                + [cell_width(display_safe(part)) for row in rows for part in row[i]]
            )
            for i, col in enumerate(section.columns)
        ]
        widths[0] = min(widths[0], LABEL_WIDTH)
        lines.append(_line([c.title for c in section.columns], widths))
        for number, row in enumerate(rows):
            if section.total and number == len(rows) - section.total:
                lines.append("─" * (sum(widths) + 2 * (len(widths) - 1)))
            for depth in range(max(len(parts) for parts in row)):
                lines.append(_line([p[depth] if depth < len(p) else "" for p in row], widths))
        if not rows:
            lines.append("(nothing in the window)")
    return "\n".join(lines)


def _parts(kind: Kind, value: Any) -> list[str]:
    """A table cell's lines: one per currency for amounts in several."""
    if kind in (Kind.MONEY, Kind.AVERAGE):
        return cell_text(kind, value).split(" + ")
    return [cell_text(kind, value)]


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    out = [fit(cells[0], widths[0])]
    for cell, width in zip(cells[1:], widths[1:], strict=True):
        text = display_safe(cell)
        out.append(" " * max(width - cell_width(text), 0) + text)
    return "  ".join(out).rstrip()


def markdown_text(view: View) -> str:
    """GitHub-flavoured Markdown: the heading in bold, one table per section."""
    lines = [f"**{_md(view.heading[0])}**", *(_md(line) + "  " for line in view.heading[1:])]
    for section in view.sections:
        lines.append("")
        if section.title:
            lines += [f"*{_md(section.title)}*", ""]
        lines.append("| " + " | ".join(_md(c.title) for c in section.columns) + " |")
        lines.append(
            "|"
            + "|".join(" --- " if c.kind is Kind.TEXT else " ---: " for c in section.columns)
            + "|"
        )
        for row in section.rows:
            texts = [
                cell_text(c.kind, v, full=True) for c, v in zip(section.columns, row, strict=True)
            ]
            lines.append("| " + " | ".join(_md(t) for t in texts) + " |")
    return "\n".join(line.rstrip() if not line.endswith("  ") else line for line in lines)


def _md(text: str) -> str:
    return display_safe(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def csv_text(view: View) -> str:
    """One header row; a `section` column first when the report has several sections.

    A column's cells may spread over several CSV columns (a rate's percent, count
    and n; one per currency): they stay together, in the order first met.
    """
    several = len(view.sections) > 1
    headers: list[str] = ["section"] if several else []
    records: list[dict[str, str]] = []
    for section in view.sections:
        cells = [
            [_csv_cells(column, value) for column, value in zip(section.columns, row, strict=True)]
            for row in section.rows
        ]
        for index in range(len(section.columns)):
            for row in cells:
                headers += [key for key in row[index] if key not in headers]
        for row in cells:
            record = {"section": _slug(section.title)} if several else {}
            for part in row:
                record.update(part)
            records.append(record)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(headers)
    for record in records:
        writer.writerow([record.get(key, "") for key in headers])
    return out.getvalue().rstrip("\n")


def _slug(title: str) -> str:
    return title.lower().replace(" ", "_")


def _csv_cells(column: Column, value: Any) -> dict[str, str]:
    key, kind = column.key, column.kind
    if kind is Kind.TEXT:
        return {key: neutralise(display_safe(str(value)))}
    if kind is Kind.COUNT:
        return {key: str(value)}
    if kind is Kind.RATE:
        percent = value.percent if value is not None else None
        return {
            f"{key}_percent": f"{percent:.1f}" if percent is not None else "",
            f"{key}_count": str(value.hits) if value is not None else "",
            f"{key}_n": str(value.n) if value is not None else "",
        }
    if kind is Kind.MONEY:
        return {f"{key}_{t.currency}": major_units(t.total_minor, t.currency) for t in value}
    if kind is Kind.AVERAGE:
        cells: dict[str, str] = {}
        for t in value:
            average = t.average_minor
            cells[f"{key}_{t.currency}"] = (
                major_units(average, t.currency) if average is not None else ""
            )
            cells[f"{key}_{t.currency}_n"] = str(t.count)
        return cells
    if kind is Kind.AMOUNT:
        money: Money | None = value
        return {key: major_units(money.minor, money.currency) if money is not None else ""}
    if kind is Kind.DURATION:
        return {f"{key}_days": _days(value)}
    return {f"{key}_days": _days(value.value), f"{key}_n": str(value.n)}


def _days(value: timedelta | None) -> str:
    return f"{value.total_seconds() / 86_400:.2f}" if value is not None else ""
