"""process discipline: cadence and SLAs, BANT, stage templates, reached touches

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

Every new column is nullable or has a default, so existing boards keep
working unchanged: no SLA, no cadence and no templates until a pipeline file
sets them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BANT_ITEMS = ("budget", "authority", "need", "timing")


def _bant_item(name: str = "bant_item") -> sa.Enum:
    return sa.Enum(*_BANT_ITEMS, name=name, native_enum=False, create_constraint=True)


def upgrade() -> None:
    with op.batch_alter_table("pipelines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("speed_to_lead_minutes", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("follow_up_attempts", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("follow_up_days", sa.Integer(), nullable=True))
    with op.batch_alter_table("stages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cadence_attempts", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("cadence_days", sa.Integer(), nullable=True))
    with op.batch_alter_table("stage_criteria", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bant_item", _bant_item(), nullable=True))
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reached", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.create_table(
        "stage_templates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "script", "email", name="template_kind", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["stage_id"],
            ["stages.id"],
            name=op.f("fk_stage_templates_stage_id_stages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stage_templates")),
    )
    with op.batch_alter_table("stage_templates", schema=None) as batch_op:
        batch_op.create_index(
            "ix_stage_templates_stage_position", ["stage_id", "position"], unique=False
        )
    op.create_table(
        "bant_answers",
        sa.Column("deal_id", sa.Integer(), nullable=False),
        sa.Column("item", _bant_item(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "unknown",
                "no",
                "partial",
                "yes",
                name="bant_state",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["deal_id"],
            ["deals.id"],
            name=op.f("fk_bant_answers_deal_id_deals"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("deal_id", "item", name=op.f("pk_bant_answers")),
    )


def downgrade() -> None:
    op.drop_table("bant_answers")
    op.drop_table("stage_templates")
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_column("reached")
    with op.batch_alter_table("stage_criteria", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_stage_criteria_bant_item"), type_="check")
        batch_op.drop_column("bant_item")
    with op.batch_alter_table("stages", schema=None) as batch_op:
        batch_op.drop_column("cadence_days")
        batch_op.drop_column("cadence_attempts")
    with op.batch_alter_table("pipelines", schema=None) as batch_op:
        batch_op.drop_column("follow_up_days")
        batch_op.drop_column("follow_up_attempts")
        batch_op.drop_column("speed_to_lead_minutes")
