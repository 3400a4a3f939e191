"""Which stays an import started without knowing when: the board did not measure them.

An open deal imported from a file that does not say when it entered its
stage is counted as in that stage since the import (`stage_entered_at` is the
import's instant, the same as `imported_at`). Its days in stage are real from
then on, but the stay itself began earlier, somewhere else: the time-in-stage
report leaves it out while it lasts, and the move that ends it is marked
`imported` like the history the import wrote.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement

from dealboard.db.models import Deal


def began_at_import(imported_at: datetime | None, entered: datetime) -> bool:
    """Whether a stay entered at `entered` began at the deal's import, not at a known move."""
    return imported_at is not None and entered == imported_at


def stays_begun_at_import() -> ColumnElement[bool]:
    """`began_at_import` for the deals' current stays, in SQL."""
    return Deal.imported_at.is_not(None) & (Deal.stage_entered_at == Deal.imported_at)
