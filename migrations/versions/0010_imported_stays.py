"""imported stays: history an import wrote is not a measurement of this board

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03

An import from another CRM knows a deal's stage and its closing, rarely how
long it spent in each stage: the moves it writes are another system's
record, or made up. `stage_transitions.imported` marks them (and a board move
ending a stay that began at such an import), so the funnel, losses and
time-in-stage reports leave those stays out of what they measure. False for
every row before this revision: history already on a board is left as it was
and counted as before (re-import a file to have its history marked). The
stay index gains the column, so the percentile walk still reads only it.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_STAY_INDEX = "ix_stage_transitions_from_stay"
_STAY_COLUMNS = ["from_stage_id", "stay_seconds", "at", "deal_id"]


def upgrade() -> None:
    with op.batch_alter_table("stage_transitions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("imported", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # The percentile walk reads measured stays only, still in order from the index alone.
    op.drop_index(_STAY_INDEX, table_name="stage_transitions")
    op.create_index(
        _STAY_INDEX, "stage_transitions", [_STAY_COLUMNS[0], "imported", *_STAY_COLUMNS[1:]]
    )


def downgrade() -> None:
    op.drop_index(_STAY_INDEX, table_name="stage_transitions")
    op.create_index(_STAY_INDEX, "stage_transitions", _STAY_COLUMNS)
    with op.batch_alter_table("stage_transitions", schema=None) as batch_op:
        batch_op.drop_column("imported")
