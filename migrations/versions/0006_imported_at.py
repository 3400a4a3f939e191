"""imported at: when a deal arrived on this board from another system

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23

A deal brought in by `dealboard import` was a lead somewhere else, long
before; its creation date is the other system's. The service levels judge
only what happens on this board: speed to lead does not apply to it, and
its follow-up and quiet clocks start at the import. Deals already on the
board (none imported before this column existed) keep NULL.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("imported_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deals", schema=None) as batch_op:
        batch_op.drop_column("imported_at")
