"""Deals as a spreadsheet: one row per deal, headers the importer reads back.

Cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`,
`@`, a tab or a carriage return) get a leading `'`, which spreadsheets show
as text and `dealboard import` removes again. A cell that already starts with
`'` before one of those characters gets one more, so reading back is exact.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealboard.db.models import Deal, DealTag, Pipeline, ResearchNotes, Stage, User
from dealboard.domain.lookup import find_pipeline
from dealboard.domain.money import minor_digits
from dealboard.domain.text import display_safe

HEADERS = (
    "ID",
    "Title",
    "Value",
    "Currency",
    "Pipeline",
    "Stage",
    "Status",
    "Owner",
    "Account",
    "Contact",
    "Contact type",
    "Source",
    "Tags",
    "Expected close date",
    "Next step",
    "Next step due",
    "Created",
    "Closed",
    "Lost reason",
    "Lost note",
    "Notes",
)

_FORMULA = re.compile(r"^'*[=+\-@\t\r]")


def neutralise(cell: str) -> str:
    """`=HYPERLINK(…)` → `'=HYPERLINK(…)`: shown as text, never run."""
    return "'" + cell if _FORMULA.match(cell) else cell


def major_units(minor: int, currency: str) -> str:
    """`1250050, USD` → `12500.50`: a plain number any spreadsheet reads."""
    digits = minor_digits(currency)
    return f"{Decimal(minor).scaleb(-digits):.{digits}f}"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(getattr(value, "value", value))


def export_csv(session: Session, *, pipeline: str | None) -> str:
    """Every deal (of one pipeline, if named), open and closed, in id order."""
    return write_rows(HEADERS, deal_rows(session, pipeline=pipeline))


def export_xlsx(session: Session, *, pipeline: str | None) -> bytes:
    """The CSV export's columns as an Excel workbook: ids, amounts and days typed, the rest
    text cells (never formulas)."""
    from dealboard.domain.exchange.xlsx import write_workbook

    typed = {"ID": int, "Value": Decimal, "Expected close date": date.fromisoformat}
    typed["Next step due"] = date.fromisoformat
    readers = [typed.get(h) for h in HEADERS]
    rows = (
        [read(cell) if read and cell else cell for read, cell in zip(readers, row, strict=True)]
        for row in deal_rows(session, pipeline=pipeline)
    )
    return write_workbook(HEADERS, rows)


def deal_rows(session: Session, *, pipeline: str | None) -> Iterator[list[str]]:
    """One row of text per deal, in `HEADERS` order."""
    query = (
        select(Deal, Pipeline.name, Stage.name, Stage.kind, User.name)
        .join(Pipeline, Pipeline.id == Deal.pipeline_id)
        .join(Stage, Stage.id == Deal.stage_id)
        .join(User, User.id == Deal.owner_id)
        .order_by(Deal.id)
    )
    tags_query = select(DealTag.deal_id, DealTag.tag).order_by(DealTag.deal_id, DealTag.tag)
    notes_query = select(ResearchNotes.deal_id, ResearchNotes.free_text)
    if pipeline is not None:
        chosen = find_pipeline(session, pipeline).id
        query = query.where(Deal.pipeline_id == chosen)
        wanted = select(Deal.id).where(Deal.pipeline_id == chosen)
        tags_query = tags_query.where(DealTag.deal_id.in_(wanted))
        notes_query = notes_query.where(ResearchNotes.deal_id.in_(wanted))
    tags: dict[int, list[str]] = {}
    for deal_id, tag in session.execute(tags_query):
        tags.setdefault(deal_id, []).append(tag)
    notes: dict[int, str] = dict(session.execute(notes_query).all())
    for deal, pipeline_name, stage, kind, owner in session.execute(query):
        yield _row(deal, pipeline_name, stage, kind.value, owner, tags.get(deal.id, ()), notes)


def _row(
    deal: Deal,
    pipeline: str,
    stage: str,
    status: str,
    owner: str,
    tags: Iterable[str],
    notes: dict[int, str],
) -> list[str]:
    return [
        str(deal.id),
        deal.title,
        major_units(deal.value_minor, deal.currency),
        deal.currency,
        pipeline,
        stage,
        status,
        owner,
        deal.account,
        deal.contact,
        deal.contact_type.value,
        deal.source,
        ", ".join(tags),
        _text(deal.expected_close),
        deal.next_step,
        _text(deal.next_step_due),
        _text(deal.created_at),
        _text(deal.closed_at),
        _text(deal.loss_reason),
        deal.loss_note,
        notes.get(deal.id, ""),
    ]


def write_rows(headers: Iterable[str], rows: Iterable[list[str]]) -> str:
    """CSV text (comma, double quotes, CRLF as RFC 4180 says), every cell neutralised.

    Control characters from rows written by older versions or other tools
    become U+FFFD (newlines and tabs in notes stay): a spreadsheet or a
    terminal showing the file must not act on them, and `import` would refuse
    them anyway.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(list(headers))
    writer.writerows([neutralise(display_safe(cell)) for cell in row] for row in rows)
    return out.getvalue()
