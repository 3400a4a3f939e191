"""Inserting hundreds of thousands of rows quickly, still through SQLAlchemy's column types.

A Core `insert` with a list of rows spends most of its time turning each
row's values into driver values one by one. Imports repeat the same dates and
words over and over, so on SQLite the values are converted once per distinct
value (by the column type's own bind processor) and handed to the driver's
`executemany` directly. PostgreSQL keeps SQLAlchemy's own batched path.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` (dicts with the same keys) into `table` in the session's transaction."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    if dialect.name != "sqlite":
        session.execute(insert(table), rows)
        return
    keys = list(rows[0])
    compiled = insert(table).compile(dialect=dialect, column_keys=keys)
    order = compiled.positiontup or keys
    convert = [_memoised(table.c[key].type._cached_bind_processor(dialect)) for key in order]
    pairs = list(zip(order, convert, strict=True))
    values = [tuple(row[k] if to is None else to(row[k]) for k, to in pairs) for row in rows]
    connection.exec_driver_sql(str(compiled), values)


def _memoised(process: Callable[[Any], Any] | None) -> Callable[[Any], Any] | None:
    if process is None:
        return None
    seen: dict[Any, Any] = {}

    def convert(value: Any) -> Any:
        if value is None:
            return process(value)
        found = seen.get(value, seen)
        if found is seen:
            found = seen[value] = process(value)
        return found

    return convert
