"""Noticing changes made by anyone else (another board, the CLI) so screens can refresh.

`watch` wakes a screen the moment another connection commits (SQLite's
data_version, PostgreSQL's NOTIFY); the `ChangeFeed` then says what changed.

Every change writes audit rows in its own transaction, so new audit rows are a
complete, engine-independent signal of "something changed, and to which deals".
Ids can commit out of order on PostgreSQL (a long transaction takes an id
early and commits late), so the feed looks back over a window of recent ids
and remembers which it has seen, rather than trusting the highest id alone.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func, select

from dealboard.db.models import AuditEntry, User
from dealboard.db.watch import Watcher
from dealboard.domain.board import Board

__all__ = ["LOOKBACK", "ChangeFeed", "ChangeSet", "Watcher", "watch"]

#: Fields whose change moves cards about, not just what one card shows.
_LAYOUT_FIELDS = frozenset({"stage", "position"})

#: How far back (in audit ids) a late commit is still noticed.
LOOKBACK = 500


@dataclass(frozen=True)
class ChangeSet:
    """What changed since the last poll."""

    deal_ids: frozenset[int] = frozenset()
    by_others: bool = False
    any: bool = False
    #: True when re-reading just `deal_ids` cannot be enough: a card changed place
    #: (its siblings shift without audit rows of their own), or the board itself
    #: changed (pipelines, users).
    layout: bool = False


@dataclass
class ChangeFeed:
    """Polled by one screen; remembers what it has already reported."""

    board: Board
    _seen: set[int] = field(default_factory=set)
    _high: int | None = None

    @property
    def started(self) -> bool:
        return self._high is not None

    def start(self) -> None:
        """Take the starting point: what exists now is not news.

        Call it just before loading what the screen shows, so that nothing
        committed between that load and the first poll is missed.
        """
        with self.board.database.read() as session:
            self._high = session.scalar(select(func.max(AuditEntry.id))) or 0
            self._seen = set(
                session.scalars(select(AuditEntry.id).where(AuditEntry.id > self._high - LOOKBACK))
            )

    def poll(self) -> ChangeSet:
        """New audit rows since the last call (starting the feed if it has not been)."""
        if self._high is None:
            self.start()
            return ChangeSet()
        with self.board.database.read() as session:
            rows = session.execute(
                select(AuditEntry.id, AuditEntry.deal_id, User.name, AuditEntry.field)
                .join(User, User.id == AuditEntry.user_id)
                .where(AuditEntry.id > self._high - LOOKBACK)
            ).all()
        fresh = [row for row in rows if row[0] not in self._seen]
        if fresh:
            self._high = max(self._high, *(row[0] for row in fresh))
        self._seen = {
            i for i in self._seen | {row[0] for row in fresh} if i > self._high - LOOKBACK
        }
        return ChangeSet(
            deal_ids=frozenset(row[1] for row in fresh if row[1] is not None),
            by_others=any(row[2] != self.board.actor_name for row in fresh),
            any=bool(fresh),
            layout=any(row[1] is None or row[3] in _LAYOUT_FIELDS for row in fresh),
        )


def watch(board: Board, changed: Callable[[bool], None]) -> Watcher:
    """Start watching the board's database in a daemon thread; `stop()` the result when done.

    `changed(full_reload)` is called from that thread, so a UI must hand it
    over to its own thread. A daemon thread never holds up quitting.
    """
    watcher = Watcher(board.database.url, changed)
    threading.Thread(target=watcher.run, name="dealboard-watch", daemon=True).start()
    return watcher
