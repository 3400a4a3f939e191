"""Prints how long the board's main queries take on a large board (a figure, not a test).

Run: `python tests/benchmarks/bench_board.py [DEALS] [--db URL]`. Builds a
throwaway SQLite board (or uses the given URL, which it fills) with DEALS open
deals spread over the seven-step stages, each with ticks and an objection.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.engine import URL, make_url

from dealboard.db.models import ChecklistTick, Deal, Objection, Stage, StageCriterion, User
from dealboard.domain.board import Board, open_board
from dealboard.vocabulary import ObjectionCategory, StageKind


def fill(board: Board, count: int) -> None:
    """Insert `count` deals in bulk (the benchmark measures reads, not this)."""
    now = datetime.now(UTC)
    with board.database.write() as session:
        user = session.scalar(select(User))
        stages = session.scalars(
            select(Stage).where(Stage.kind == StageKind.OPEN).order_by(Stage.position)
        ).all()
        session.execute(
            insert(Deal),
            [
                {
                    "pipeline_id": stages[0].pipeline_id,
                    "stage_id": stages[i % len(stages)].id,
                    "title": f"Deal number {i}",
                    "account": f"Account {i % 300}",
                    "value_minor": i * 100,
                    "currency": "USD",
                    "owner_id": user.id,
                    "position": i,
                    "stage_entered_at": now,
                    "created_at": now,
                    "updated_at": now,
                    "version": 1,
                }
                for i in range(count)
            ],
        )
        deals = session.execute(select(Deal.id, Deal.stage_id)).all()
        first_criterion = dict(
            session.execute(
                select(StageCriterion.stage_id, StageCriterion.id).where(
                    StageCriterion.position == 1
                )
            ).all()
        )
        session.execute(
            insert(ChecklistTick),
            [
                {
                    "deal_id": d,
                    "criterion_id": first_criterion[s],
                    "checked_by_id": user.id,
                    "checked_at": now,
                }
                for d, s in deals
                if s in first_criterion
            ],
        )
        session.execute(
            insert(Objection),
            [
                {
                    "deal_id": d,
                    "category": ObjectionCategory.COST,
                    "hidden": False,
                    "text": "Price",
                    "response": "",
                    "status": "open",
                    "created_by_id": user.id,
                    "created_at": now,
                }
                for d, _ in deals[::3]
            ],
        )


def timed(label: str, action: Callable[[], object], repeat: int = 5) -> None:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    print(
        f"{label:<38} median {statistics.median(samples) * 1000:8.1f} ms"
        f"   max {max(samples) * 1000:8.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("deals", type=int, nargs="?", default=5000)
    parser.add_argument("--db", help="SQLAlchemy URL to fill instead of a temporary SQLite file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = (
            make_url(args.db)
            if args.db
            else URL.create("sqlite+pysqlite", database=str(Path(folder) / "bench.sqlite3"))
        )
        start = time.perf_counter()
        board = open_board(url, "bench", create=True)
        print(
            f"{'open (create + migrate) board':<38} {(time.perf_counter() - start) * 1000:8.1f} ms"
        )
        fill(board, args.deals)
        print(f"board of {args.deals} open deals")
        timed("reopen an existing board", lambda: open_board(url, "bench").database.dispose())
        timed("list every open deal (board query)", board.list_deals)
        timed("list one stage", lambda: board.list_deals(stage="Pitch"))
        timed("one deal's full detail", lambda: board.deal(args.deals // 2))
        timed(
            "tick + untick a criterion",
            lambda: (board.set_check(7, "2"), board.set_check(7, "2", checked=False)),
        )
        timed(
            "move a card back and forth",
            lambda: (board.move(1, "Prospect"), board.move(1, "Qualify", override="bench")),
        )
        board.database.dispose()


if __name__ == "__main__":
    main()
