"""Noticing changes made by anyone (another board, the CLI, this board) so screens can refresh.

`watch` wakes the app the moment another connection commits (SQLite's
data_version, PostgreSQL's NOTIFY); a screen's next read then asks
`changes_since` what changed since the `ChangeCursor` of what it shows, inside
the same read transaction as the rest of the screen's data.

Every change writes audit rows in its own transaction, so new audit rows are a
complete, engine-independent signal of "something changed, and to which deals".
Ids can commit out of order on PostgreSQL (a long transaction takes an id
early and commits late), so a cursor looks back over a window of recent ids
and remembers which it has seen, rather than trusting the highest id alone.
Because the cursor travels with the data it was read with, the echo of one's
own commit (the watcher wakes for it too) finds nothing new and costs one
small query, not a second read of the screen.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session

from dealboard.db.models import AuditEntry, User
from dealboard.db.watch import Watcher

__all__ = [
    "LOOKBACK",
    "NOTHING",
    "ChangeCursor",
    "ChangeSet",
    "Watcher",
    "changes_since",
    "cursor_now",
    "watch",
]

#: How far back (in audit ids) a late commit is still noticed.
LOOKBACK = 500
#: More changed deals than this in one read: re-reading everything is cheaper than sorting it out.
MANY_DEALS = 200


@dataclass(frozen=True)
class ChangeCursor:
    """Where in the audit log a read stood: the highest id, and the recent ids already seen."""

    high: int
    seen: frozenset[int]


@dataclass(frozen=True)
class ChangeSet:
    """What changed between two cursors."""

    #: Every deal a change touched.
    deal_ids: frozenset[int] = frozenset()
    #: The deals someone else touched (the board flashes them).
    by_others: frozenset[int] = frozenset()
    #: Stages a moved deal left, by name (the deal's own row already says where it went).
    left_stages: frozenset[str] = frozenset()
    #: Something beyond single deals changed (users, pipelines, an import), or too much to sort.
    everything: bool = False

    @property
    def any(self) -> bool:
        return bool(self.deal_ids) or self.everything

    def touches(self, deal_id: int) -> bool:
        """Whether a screen showing `deal_id` must read again."""
        return self.everything or deal_id in self.deal_ids


NOTHING = ChangeSet()


def cursor_now(session: Session) -> ChangeCursor:
    """The starting point of a read: what exists now is not news."""
    high = session.scalar(select(func.max(AuditEntry.id))) or 0
    recent = session.scalars(select(AuditEntry.id).where(AuditEntry.id > high - LOOKBACK))
    return ChangeCursor(high, frozenset(recent))


def changes_since(
    session: Session, cursor: ChangeCursor, actor_name: str
) -> tuple[ChangeSet, ChangeCursor]:
    """The audit rows committed since `cursor`, and the cursor after them.

    Two small queries when something changed, one when nothing did: the ids of
    the look-back window first, the details only of the ids not seen before.
    """
    window = cursor.high - LOOKBACK
    ids = set(session.scalars(select(AuditEntry.id).where(AuditEntry.id > window)))
    fresh = ids - cursor.seen
    if not fresh:
        return NOTHING, cursor
    high = max(cursor.high, *fresh)
    seen = frozenset(i for i in ids if i > high - LOOKBACK)
    rows = session.execute(
        select(AuditEntry.deal_id, User.name, AuditEntry.field, AuditEntry.old_value)
        .join(User, User.id == AuditEntry.user_id)
        .where(AuditEntry.id.in_(sorted(fresh)))
    ).all()
    deal_ids = frozenset(row[0] for row in rows if row[0] is not None)
    changes = ChangeSet(
        deal_ids=deal_ids,
        by_others=frozenset(row[0] for row in rows if row[0] is not None and row[1] != actor_name),
        left_stages=frozenset(row[3] for row in rows if row[2] == "stage" and row[3] is not None),
        everything=any(row[0] is None for row in rows) or len(deal_ids) > MANY_DEALS,
    )
    return changes, ChangeCursor(high, seen)


def watch(url: URL, changed: Callable[[bool], None]) -> Watcher:
    """Start watching a database in a daemon thread; `stop()` the result when done.

    `changed(full_reload)` is called from that thread, so a UI must hand it
    over to its own thread. A daemon thread never holds up quitting.
    """
    watcher = Watcher(url, changed)
    threading.Thread(target=watcher.run, name="dealboard-watch", daemon=True).start()
    return watcher
