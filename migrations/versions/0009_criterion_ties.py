"""criterion ties: a criterion may follow the research notes or the objection log

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

"Buying process described" is met when the buying process is written, and
"Every logged objection resolved" when none is left unresolved: such a
criterion is ticked by the data, not by hand (`dealboard.domain.ties`).
`stage_criteria.tie` says which data (`research:<field>`,
`objections:resolved`); NULL for every criterion before this revision, which
is ticked by hand as before.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("stage_criteria", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tie", sa.String(length=40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("stage_criteria", schema=None) as batch_op:
        batch_op.drop_column("tie")
