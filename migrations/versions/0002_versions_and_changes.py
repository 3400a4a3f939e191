"""versions on notes, objections and stakeholders; changes that group audit rows

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

Existing rows start at version 1. Audit rows written before this revision
belong to no change: they stay in the history but cannot be undone.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_VERSIONED = ("research_notes", "stakeholders", "objections")


def upgrade() -> None:
    for table in _VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("version", sa.Integer(), nullable=False, server_default="1")
            )
    op.create_table(
        "changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("deal_id", sa.Integer(), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "do", "undo", "redo", name="change_kind", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("reverts_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_changes_user_id_users")),
        sa.ForeignKeyConstraint(
            ["reverts_id"], ["changes.id"], name=op.f("fk_changes_reverts_id_changes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_changes")),
    )
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.create_index("ix_changes_user_id", ["user_id", "id"], unique=False)
        batch_op.create_index("ix_changes_deal_id", ["deal_id", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_changes_reverts_id"), ["reverts_id"], unique=False)
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("change_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_audit_log_change_id"), ["change_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_audit_log_change_id_changes"), "changes", ["change_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_audit_log_change_id_changes"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_audit_log_change_id"))
        batch_op.drop_column("change_id")
    op.drop_table("changes")
    for table in _VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
