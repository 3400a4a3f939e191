"""stay seconds: how long each move's deal had been in the stage it left

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24

`stage_transitions.stay_seconds` is written with every move from now on; here
it is worked out once for the history already recorded (the time from the
deal's previous transition, in order of time then id). The index it sits in
lets the time-in-stage report pick its median and 90th percentile by walking
the index instead of sorting every stay. (`UPDATE … FROM` needs SQLite 3.33 or later.)
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SECONDS = {
    "sqlite": "CAST(round((julianday(t.at) - julianday(t.started)) * 86400) AS INTEGER)",
    "postgresql": "CAST(round(EXTRACT(EPOCH FROM (t.at - t.started))) AS INTEGER)",
}


def upgrade() -> None:
    with op.batch_alter_table("stage_transitions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stay_seconds", sa.Integer(), nullable=True))
    bind = op.get_bind()
    seconds = _SECONDS.get(bind.dialect.name, _SECONDS["postgresql"])
    op.execute(
        f"""
        UPDATE stage_transitions
        SET stay_seconds = CASE WHEN {seconds} > 0 THEN {seconds} ELSE 0 END
        FROM (
            SELECT id, at, LAG(at) OVER (PARTITION BY deal_id ORDER BY at, id) AS started
            FROM stage_transitions
        ) AS t
        WHERE t.id = stage_transitions.id
          AND t.started IS NOT NULL
          AND stage_transitions.from_stage_id IS NOT NULL
        """
    )
    with op.batch_alter_table("stage_transitions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_stage_transitions_from_stay",
            ["from_stage_id", "stay_seconds", "at", "deal_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("stage_transitions", schema=None) as batch_op:
        batch_op.drop_index("ix_stage_transitions_from_stay")
        batch_op.drop_column("stay_seconds")
