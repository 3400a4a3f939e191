"""column indexes: a board's sums and card windows read from indexes alone

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

A board no longer loads every deal: each column's header is an aggregate
(count and value per currency) and its cards a window in column order. At
100,000 deals both must come from an index, not the table:

- `ix_deals_column_sums` (pipeline, stage, currency, value) answers the
  header's GROUP BY without touching a row, already in group order;
- `ix_deals_board` gains the id, the column order's tie-break, so PostgreSQL
  walks a window in order without sorting (SQLite keeps the rowid in every
  index entry anyway).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_deals_board", table_name="deals")
    op.create_index("ix_deals_board", "deals", ["pipeline_id", "stage_id", "position", "id"])
    op.create_index(
        "ix_deals_column_sums", "deals", ["pipeline_id", "stage_id", "currency", "value_minor"]
    )


def downgrade() -> None:
    op.drop_index("ix_deals_column_sums", table_name="deals")
    op.drop_index("ix_deals_board", table_name="deals")
    op.create_index("ix_deals_board", "deals", ["pipeline_id", "stage_id", "position"])
