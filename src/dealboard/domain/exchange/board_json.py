"""A whole board as one JSON document: every table, every row, every id, nothing lost.

Every table is in it, account and contact records, deal lineage, goals, saved
views and pipeline revisions included, because the tables are read from the
models: a new table or column is carried without a change here.

The document is `{"format": "dealboard", "format_version": 1, ...}` followed by
one key per table (in an order where every reference points backwards), each
a list of rows in id order; a row's keys are the table's columns. Values:
integers, strings, booleans and null as themselves; money as integer minor
units beside its currency; dates `YYYY-MM-DD`; instants ISO 8601 in UTC
(`2026-11-20T15:00:00+00:00`); vocabulary values as their words (`won`).
Because ids are kept, exporting a board restored from this document gives
the same document again (apart from `exported_at`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from dealboard import __version__
from dealboard.db.base import Base
from dealboard.db.migrate import stored_revision
from dealboard.domain.lookup import find_pipeline

FORMAT = "dealboard"
FORMAT_VERSION = 1
#: Keys before the tables, in this order.
HEADER_KEYS = (
    "format",
    "format_version",
    "dealboard_version",
    "schema_revision",
    "exported_at",
    "pipeline",
)

Row = dict[str, Any]


def tables() -> list[Table]:
    """Every table dealboard keeps, parents before children."""
    return list(Base.metadata.sorted_tables)


def encode(value: object) -> object:
    """A column value as JSON holds it."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def schema_revision(session: Session) -> str | None:
    """The Alembic revision the database is at."""
    return stored_revision(session.connection())


def export_board(session: Session, *, pipeline: str | None, now: datetime) -> dict[str, Any]:
    """The document; with `pipeline`, only that pipeline, its deals and their history."""
    data: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "dealboard_version": __version__,
        "schema_revision": schema_revision(session),
        "exported_at": now.isoformat(),
        "pipeline": None,
    }
    rows = {table.name: _rows(session, table) for table in tables()}
    if pipeline is not None:
        chosen = find_pipeline(session, pipeline)
        data["pipeline"] = chosen.name
        rows = only_pipeline(rows, chosen.id)
    data.update(rows)
    return data


def _rows(session: Session, table: Table) -> list[Row]:
    query = select(table).order_by(*table.primary_key.columns)
    names = [c.name for c in table.columns]
    return [
        {name: encode(value) for name, value in zip(names, row, strict=True)}
        for row in session.execute(query)
    ]


def only_pipeline(rows: dict[str, list[Row]], pipeline_id: int) -> dict[str, list[Row]]:
    """Keep one pipeline and whatever refers to it; users stay (they are board-wide).

    A row is kept when every row it refers to is kept. The history tables refer
    to deals by a plain `deal_id` (history outlives deletions), so they are
    filtered by hand: rows of kept deals, board-level rows that are not about
    another pipeline, and the changes those rows belong to.
    """
    kept_ids: dict[str, set[Any]] = {}
    result: dict[str, list[Row]] = {}
    for table in tables():
        if table.name in ("changes", "audit_log"):
            continue
        found = rows[table.name]
        if table.name == "pipelines":
            found = [r for r in found if r["id"] == pipeline_id]
        else:
            found = [r for r in found if _references_kept(table, r, kept_ids)]
        result[table.name] = found
        kept_ids[table.name] = {r["id"] for r in found if "id" in r}
    deals = kept_ids["deals"]
    _only_their_customers(result, deals)
    pipelines = kept_ids["pipelines"]
    audit = [
        r
        for r in rows["audit_log"]
        if r["deal_id"] in deals
        or (
            r["deal_id"] is None
            and not (r["entity"] == "pipeline" and r["entity_id"] not in pipelines)
        )
    ]
    changes = {r["id"]: r for r in rows["changes"]}
    wanted = {r["change_id"] for r in audit if r["change_id"] is not None}
    wanted |= {c["id"] for c in changes.values() if c["deal_id"] in deals}
    pending = list(wanted)
    while pending:
        target = changes[pending.pop()]["reverts_id"]
        if target is not None and target not in wanted:
            wanted.add(target)
            pending.append(target)
    result["changes"] = [c for c in rows["changes"] if c["id"] in wanted]
    result["audit_log"] = audit
    return {table.name: result[table.name] for table in tables()}


def _only_their_customers(result: dict[str, list[Row]], deals: set[Any]) -> None:
    """The accounts and contacts the kept deals name; an origin deal left out is forgotten.

    A deal started from one in another pipeline keeps its kind (upsell, referral…)
    but not the link, as when its origin deal is deleted.
    """
    result["deals"] = [
        row
        if row["origin_deal_id"] in deals or row["origin_deal_id"] is None
        else row | {"origin_deal_id": None}
        for row in result["deals"]
    ]
    contacts = {row["contact_id"] for row in result["deals"]} - {None}
    result["contacts"] = [row for row in result["contacts"] if row["id"] in contacts]
    accounts = {row["account_id"] for row in result["contacts"]}
    for row in result["deals"]:
        accounts |= {row["account_id"], row["referred_by_account_id"]}
    result["accounts"] = [row for row in result["accounts"] if row["id"] in accounts]


def _references_kept(table: Table, row: Row, kept: dict[str, set[Any]]) -> bool:
    for column in table.columns:
        value = row[column.name]
        if value is None:
            continue
        for key in column.foreign_keys:
            target = key.column.table.name
            if target in kept and target != table.name and value not in kept[target]:
                return False
    return True


def counts(data: dict[str, Any], names: Iterable[str]) -> dict[str, int]:
    """Rows per table, for summaries."""
    return {name: len(data.get(name) or ()) for name in names}
