"""Making an empty board's first steps happen once, however many people start it together.

On SQLite every write transaction begins with `BEGIN IMMEDIATE`, so writers
take turns already. PostgreSQL runs writers side by side: two first logins
would each count zero users and both become manager, and two first pipelines
would collide on their unique name. A transaction-scoped advisory lock makes
those few first-use writes take turns there too; it is released at commit.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

#: The advisory lock's key: any fixed number that no other dealboard lock uses.
FIRST_USE_LOCK = 0x6465616C  # "deal"


def serialise_first_use(session: Session) -> None:
    """Wait until no other transaction is joining users or creating first pipelines."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(FIRST_USE_LOCK)))
