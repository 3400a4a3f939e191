"""The watcher wakes a board when another connection commits, and only then."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

from dealboard.db.database import Database
from dealboard.db.watch import channel_for
from dealboard.domain.board import Board
from dealboard.domain.changes import Watcher, watch
from dealboard.domain.deals import DealFields
from dealboard.domain.errors import RuleViolation


class Wakes:
    """Records each wake-up the watcher reports."""

    def __init__(self) -> None:
        self.calls: list[bool] = []
        self.event = threading.Event()

    def __call__(self, full_reload: bool) -> None:
        self.calls.append(full_reload)
        self.event.set()

    def wait(self, seconds: float) -> bool:
        woke = self.event.wait(seconds)
        self.event.clear()
        return woke


@pytest.fixture
def watching(board: Board) -> Iterator[tuple[Wakes, Watcher]]:
    wakes = Wakes()
    watcher = watch(board.database.url, wakes)
    assert watcher.listening.wait(5)  # listening before anyone writes
    yield wakes, watcher
    watcher.stop()


def test_a_commit_by_another_connection_wakes_the_board_within_a_second(
    board: Board, watching: tuple[Wakes, Watcher]
) -> None:
    wakes, _ = watching
    other = Board(Database(board.database.url), "rick")
    started = time.monotonic()
    other.add_deal(DealFields(title="From another terminal"))
    assert wakes.wait(1.0)
    assert time.monotonic() - started < 1.0
    assert wakes.calls[-1] is False
    other.database.dispose()


def test_a_refused_change_commits_nothing_and_wakes_nobody(
    board: Board, watching: tuple[Wakes, Watcher]
) -> None:
    wakes, _ = watching
    deal_id = board.add_deal(DealFields(title="Gated"))
    assert wakes.wait(1.0)
    with pytest.raises(RuleViolation):
        board.move(deal_id, "Pitch")
    assert not wakes.wait(0.6)


def test_a_lost_postgres_listener_reconnects_and_asks_for_a_full_reload(
    board: Board, watching: tuple[Wakes, Watcher]
) -> None:
    if board.database.is_sqlite:
        pytest.skip("PostgreSQL only: SQLite has no connection to lose")
    wakes, _ = watching
    admin = create_engine(board.database.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        killed = connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE query = :listen AND pid <> pg_backend_pid()"
            ),
            {"listen": f"LISTEN {channel_for(board.database.url)}"},
        ).all()
    admin.dispose()
    assert killed
    assert wakes.wait(4.0)
    assert wakes.calls[-1] is True
    board.add_deal(DealFields(title="After the reconnect"))
    assert wakes.wait(1.0)
