"""changes via user: a manager acting for a teammate is recorded as both

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

`dealboard --as sam` is a manager working for a teammate. The change is
sam's (it counts as his, undo finds it as his), but the log must say who
really made it: `changes.via_user_id` names that manager ("maria as sam").
NULL for every change made by the person it names, which is all of them
before this revision.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("via_user_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_changes_via_user_id_users", "users", ["via_user_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_constraint("fk_changes_via_user_id_users", type_="foreignkey")
        batch_op.drop_column("via_user_id")
