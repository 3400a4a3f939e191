"""stage purpose: what each stage is for, written in the pipeline file

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24

The playbook (`dealboard playbook`) shows it beside the exit criteria.
Existing stages get an empty purpose until their pipeline file is imported
again with one.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("stages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("purpose", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("stages", schema=None) as batch_op:
        batch_op.drop_column("purpose")
