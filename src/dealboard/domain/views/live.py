"""A screen's data together with where in the change log it was read.

Every screen's read returns a `Live`: the content it shows, the cursor that the
next read starts from, and the changes this read took in (the board flashes
the cards others changed). When nothing relevant happened, a read hands back
the same content object with a newer cursor, so a screen can tell "nothing to
redraw" by identity without comparing anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from dealboard.domain.changes import NOTHING, ChangeCursor, ChangeSet, changes_since, cursor_now

T = TypeVar("T")


@dataclass(frozen=True)
class Live(Generic[T]):
    """What a screen shows, read in one transaction, and the changes that read consumed."""

    content: T
    cursor: ChangeCursor
    changes: ChangeSet = NOTHING


def follow(
    session: Session,
    previous: Live[T] | None,
    actor_name: str,
    read: Callable[[Session], T],
    relevant: Callable[[ChangeSet], bool] = lambda changes: changes.any,
) -> Live[T]:
    """Read `read` afresh, unless `previous` exists and nothing relevant changed since it.

    The cursor is taken inside the same transaction as the content, so a change
    committed just after this read is news to the next one, and one committed
    before it is never reported twice.
    """
    if previous is None:
        return Live(read(session), cursor_now(session))
    changes, cursor = changes_since(session, previous.cursor, actor_name)
    if not relevant(changes):
        return Live(previous.content, cursor, changes)
    return Live(read(session), cursor, changes)
