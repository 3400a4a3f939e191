"""Prints how long every report takes on a board of 100,000 deals (a figure, not a test).

Run: `python tests/benchmarks/reports.py [DEALS] [--db URL] [--repeat N]`. Builds a
throwaway SQLite board (or fills the given URL) with DEALS deals created over the
last two years by 20 owners: each with its stage history (creation, moves,
closing), a few activities, a source, sometimes tags, three currencies. Bulk
inserts through SQLAlchemy Core; the figures are for the reports, not the fill.
Every report must stay under a second at 100,000 deals on SQLite.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.engine import URL, make_url

from dealboard.db.models import Activity, Deal, DealTag, Stage, StageTransition, User
from dealboard.domain import revisions
from dealboard.domain.board import Board, open_board
from dealboard.domain.lookup import find_pipeline
from dealboard.domain.moves import stay_seconds
from dealboard.domain.reports import REPORTS
from dealboard.domain.revisions import RevisionChange
from dealboard.vocabulary import CHOOSABLE_LOSS_REASONS, ActivityKind, StageKind

OWNERS = 20
SOURCES = ("", "web", "referral", "event", "cold call", "partner")
CURRENCIES = ("USD",) * 16 + ("EUR",) * 3 + ("GBP",)
BATCH = 20_000
#: The limit the issue sets for every report at 100,000 deals on SQLite.
LIMIT_SECONDS = 1.0


def _batched(session, model, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        session.execute(insert(model), rows[start : start + BATCH])


def fill(board: Board, count: int, now: datetime, seed: int = 7) -> None:
    """Insert `count` deals with their history in bulk."""
    rng = random.Random(seed)
    with board.database.write() as session:
        session.execute(
            insert(User),
            [
                {"name": f"rep{i:02}", "display_name": f"Rep {i}", "role": "rep", "created_at": now}
                for i in range(OWNERS)
            ],
        )
        owners = session.scalars(select(User.id).where(User.name.like("rep%"))).all()
        stages = session.scalars(select(Stage).order_by(Stage.position)).all()
        open_stages = [s for s in stages if s.kind is StageKind.OPEN]
        won = next(s for s in stages if s.kind is StageKind.WON)
        lost = next(s for s in stages if s.kind is StageKind.LOST)
        deals, plans = [], []
        for i in range(count):
            created = now - timedelta(days=rng.uniform(0, 730), seconds=rng.randrange(86_400))
            fate = rng.random()
            reach = rng.randrange(len(open_stages)) if fate >= 0.35 else len(open_stages) - 1
            path, at = [], created
            for stage in open_stages[: reach + 1]:
                path.append((stage, at))
                at += timedelta(days=rng.expovariate(1 / 6), seconds=rng.randrange(3600))
            closing = won if fate < 0.35 else lost if fate < 0.7 else None
            if at > now:
                closing = None
            final = closing or path[-1][0]
            deals.append(
                {
                    "pipeline_id": final.pipeline_id,
                    "stage_id": final.id,
                    "title": f"Deal {i}",
                    "value_minor": rng.randrange(1_000, 5_000_000),
                    "currency": rng.choice(CURRENCIES),
                    "owner_id": rng.choice(owners),
                    "source": rng.choice(SOURCES),
                    "expected_close": (now + timedelta(days=rng.randint(-90, 270))).date()
                    if rng.random() < 0.9
                    else None,
                    "position": i,
                    "stage_entered_at": at if closing else path[-1][1],
                    "created_at": created,
                    "updated_at": at,
                    "closed_at": at if closing else None,
                    "loss_reason": rng.choice(CHOOSABLE_LOSS_REASONS) if closing is lost else None,
                    "version": 1,
                }
            )
            plans.append((path, closing, at))
        _batched(session, Deal, deals)
        ids = session.scalars(select(Deal.id).order_by(Deal.id)).all()
        transitions, activities, tags = [], [], []
        for deal_id, (path, closing, closed_at), deal in zip(ids, plans, deals, strict=True):
            owner, previous, entered = deal["owner_id"], None, deal["created_at"]
            for stage, at in path:
                transitions.append(_move(deal_id, previous, stage.id, owner, entered, at))
                previous, entered = stage.id, at
            if closing is not None:
                transitions.append(_move(deal_id, previous, closing.id, owner, entered, closed_at))
            for _ in range(rng.randrange(4)):
                done = deal["created_at"] + timedelta(minutes=rng.expovariate(1 / 600))
                activities.append(
                    {
                        "deal_id": deal_id,
                        "user_id": deal["owner_id"],
                        "kind": rng.choice(list(ActivityKind)),
                        "subject": "Touch",
                        "done_at": min(done, now),
                        "created_at": min(done, now),
                    }
                )
            if rng.random() < 0.2:
                tags.append({"deal_id": deal_id, "tag": "promo"})
            if rng.random() < 0.1:
                tags.append({"deal_id": deal_id, "tag": "q4"})
        _batched(session, StageTransition, transitions)
        _batched(session, Activity, activities)
        _batched(session, DealTag, tags)
    print(
        f"filled {count} deals, {len(transitions)} transitions, "
        f"{len(activities)} activities, {len(tags)} tags"
    )


def _move(
    deal_id: int, source: int | None, target: int, user: int, entered: datetime, at: datetime
) -> dict:
    return {
        "deal_id": deal_id,
        "from_stage_id": source,
        "to_stage_id": target,
        "user_id": user,
        "at": at,
        "stay_seconds": stay_seconds(entered, at) if source is not None else None,
    }


def timed(label: str, action: Callable[[], object], repeat: int) -> float:
    """Print and return the median of `repeat` runs, in seconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    median = statistics.median(samples)
    print(f"{label:<34} median {median * 1000:8.1f} ms   max {max(samples) * 1000:8.1f} ms")
    return median


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("deals", type=int, nargs="?", default=100_000)
    parser.add_argument("--db", help="SQLAlchemy URL to fill instead of a temporary SQLite file")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as folder:
        url = (
            make_url(args.db)
            if args.db
            else URL.create("sqlite+pysqlite", database=str(Path(folder) / "bench.sqlite3"))
        )
        board = open_board(url, "bench", lambda: now, create=True)
        start = time.perf_counter()
        fill(board, args.deals, now)
        print(f"{'fill':<34} {(time.perf_counter() - start):8.1f} s")
        revise(board, now)
        slow = []
        for name in REPORTS:
            took = timed(f"report {name}", lambda name=name: board.report(name), args.repeat)
            if took >= LIMIT_SECONDS:
                slow.append(name)
        for name, filters in (
            ("funnel", {"since": "90d"}),
            ("stages", {"owner": "rep03"}),
            ("cohorts", {"tag": "promo"}),
            ("owners", {"since": "30d"}),
        ):
            label = f"report {name} " + " ".join(f"--{k} {v}" for k, v in filters.items())
            took = timed(label, lambda n=name, f=filters: board.report(n, **f), args.repeat)
            if took >= LIMIT_SECONDS:
                slow.append(label)
        board.database.dispose()
    if slow:
        print(f"over {LIMIT_SECONDS:.0f} s: {', '.join(slow)}")
        return 1
    return 0


def revise(board: Board, now: datetime) -> None:
    """A revision of the second open stage a year ago, so `report change` has two sides."""
    with board.database.write() as session:
        pipeline = find_pipeline(session, None)
        stage = [s for s in pipeline.stages if s.kind is StageKind.OPEN][1]
        actor = session.scalars(select(User).where(User.name == "bench")).one()
        change = RevisionChange(stage.id, stage.name, "probability", 10, 15)
        revisions.record(session, actor, pipeline, [change], now - timedelta(days=365))


if __name__ == "__main__":
    sys.exit(main())
