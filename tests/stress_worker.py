"""One teammate hammering a shared board, run as its own process by tests/test_stress.py.

Modes:

* `stress URL WORKER SEED OPS ACTOR`: prints `ready`, waits for a line on
  stdin, then does OPS mixed operations through `Board` and prints a JSON
  summary. Refusals the rules allow for (the gate, a bad value, a conflict)
  are counted; anything else is printed with its traceback on stderr and the
  process exits 1.
* `hold URL DEAL ACTOR`: commits a few edits, then opens one write
  transaction, changes the deal and adds many audit rows, prints
  `in-transaction` and sleeps, waiting to be killed.
* `loop URL DEAL ACTOR`: edits the deal and ticks criteria in an endless loop
  of short transactions, printing `looping` after the first commit.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import sys
import time
import traceback
from datetime import UTC, datetime

from sqlalchemy import event, insert
from sqlalchemy.engine import make_url

from dealboard.db.database import Database
from dealboard.db.models import AuditEntry
from dealboard.domain import deals, users
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.errors import Busy, Conflict, InvalidInput, RuleViolation

#: Refusals a worker expects now and then; they are counted, not failures. `Busy` is the
#: user's "still locked, nothing was saved" after the retry deadline: on a loaded machine
#: four writers can outlast it, and the test still proves such an edit left no trace.
EXPECTED = (RuleViolation, InvalidInput, Conflict, Busy)
#: Edit markers of the transaction that is killed before it commits.
KILLED_MARKER = "killed-txn"
#: Audit rows the killed transaction adds (enough to spill out of SQLite's page cache).
KILLED_ROWS = 20_000
#: Edits committed before the long transaction starts.
COMMITTED_BEFORE_KILL = 20
#: Full tracebacks printed before the rest are shortened to one line.
TRACEBACK_LIMIT = 3


class Stress:
    """The random mix of operations one teammate does, and what came of them."""

    def __init__(self, board: Board, worker: int, seed: int, manager: bool) -> None:
        self.board = board
        self.worker = worker
        self.random = random.Random(seed)
        self.manager = manager
        pipeline = board.pipeline()
        self.open_stages = [s.name for s in pipeline.open_stages]
        self.criteria = {s.name: len(s.criteria) for s in pipeline.open_stages}
        self.deal_ids = [d.id for d in board.list_deals()]
        self.edits: list[dict[str, object]] = []
        self.failed_markers: list[str] = []
        self.counts: dict[str, int] = {}
        self.refused: dict[str, int] = {}
        self.unexpected: list[str] = []
        self.lock_errors: dict[str, int] = {}
        self.doing = ""
        event.listen(board.database.engine, "handle_error", self.count_lock_error)

    def count_lock_error(self, context: object) -> None:
        """Deadlocks and lock timeouts the domain retried (or not): worth seeing in the summary."""
        original = getattr(context, "original_exception", None)
        name = getattr(original, "sqlstate", None) or str(original).split("\n")[0][:60]
        key = f"{self.doing}: {name}"
        self.lock_errors[key] = self.lock_errors.get(key, 0) + 1

    def count(self, name: str) -> None:
        self.counts[name] = self.counts.get(name, 0) + 1

    def run(self, ops: int) -> None:
        for op in range(ops):
            kind = self.random.choices(
                ("edit", "tick", "move", "reorder"), weights=(35, 25, 25, 15)
            )[0]
            deal_id = self.random.choice(self.deal_ids)
            marker = f"w{self.worker}-op{op}"
            self.doing = kind
            try:
                getattr(self, kind)(deal_id, marker)
            except EXPECTED as exc:
                self.refused[type(exc).__name__] = self.refused.get(type(exc).__name__, 0) + 1
                if kind == "edit":
                    self.failed_markers.append(marker)
            except Exception as exc:
                if kind == "edit":
                    self.failed_markers.append(marker)
                self.unexpected.append(f"op {op} ({kind} deal {deal_id}): {exc!r}")
                if len(self.unexpected) <= TRACEBACK_LIMIT:
                    traceback.print_exc()
                else:
                    print(f"worker {self.worker}: {self.unexpected[-1]}", file=sys.stderr)

    def edit(self, deal_id: int, marker: str) -> None:
        field = self.random.choice(("next_step", "account"))
        self.board.edit_deal(deal_id, DealFields(**{field: marker}))
        self.edits.append({"marker": marker, "deal": deal_id, "field": field})
        self.count(f"edit_{field}")

    def tick(self, deal_id: int, _marker: str) -> None:
        stage = self.random.choice(self.open_stages)
        item = str(self.random.randint(1, self.criteria[stage]))
        checked = self.random.random() < 0.65
        self.board.set_check(deal_id, item, stage=stage, checked=checked)
        self.count("tick" if checked else "untick")

    def move(self, deal_id: int, _marker: str) -> None:
        current = next(d.stage for d in self.board.list_deals() if d.id == deal_id)
        index = self.open_stages.index(current)
        step = 1 if self.random.random() < 0.6 else -1
        if not 0 <= index + step < len(self.open_stages):
            step = -step
        target = self.open_stages[index + step]
        position = self.random.choice((None, 0, 1))
        try:
            result = self.board.move(deal_id, target, position=position)
        except RuleViolation:
            if not (self.manager and self.random.random() < 0.3):
                raise
            result = self.board.move(deal_id, target, override=f"pushed by w{self.worker}")
            self.count("override")
        self.count("move" if result.moved else "move_noop")

    def reorder(self, deal_id: int, _marker: str) -> None:
        self.board.reorder(deal_id, self.random.randint(0, 3))
        self.count("reorder")

    def summary(self, seconds: float) -> dict[str, object]:
        return {
            "worker": self.worker,
            "actor": self.board.actor_name,
            "seconds": round(seconds, 2),
            "edits": self.edits,
            "failed_markers": self.failed_markers,
            "counts": self.counts,
            "refused": self.refused,
            "unexpected": self.unexpected,
            "driver_errors": self.lock_errors,
        }


def stress(args: argparse.Namespace) -> int:
    board = Board(Database(make_url(args.url)), args.actor)
    manager = board.whoami().role.value == "manager"
    worker = Stress(board, args.worker, args.seed, manager)
    print("ready", flush=True)
    sys.stdin.readline()
    started = time.monotonic()
    worker.run(args.ops)
    print(json.dumps(worker.summary(time.monotonic() - started)), flush=True)
    board.database.dispose()
    return 1 if worker.unexpected else 0


def hold(args: argparse.Namespace) -> int:
    board = Board(Database(make_url(args.url)), args.actor)
    for i in range(COMMITTED_BEFORE_KILL):
        board.edit_deal(args.deal, DealFields(next_step=f"pre-kill-{i}"))
    print("committed", flush=True)
    now = datetime.now(UTC)
    with board.database.write() as session:
        actor = users.acting_user(session, args.actor, now)
        deals.edit_deal(
            session,
            actor,
            args.deal,
            DealFields(account=KILLED_MARKER, next_step=KILLED_MARKER),
            expected_version=None,
            now=now,
            today=now.date(),
        )
        session.flush()
        rows = [
            {
                "at": now,
                "user_id": actor.id,
                "action": "update",
                "entity": "deal",
                "entity_id": args.deal,
                "deal_id": args.deal,
                "field": "note",
                "old_value": "x" * 200,
                "new_value": f"{KILLED_MARKER}-{i}",
            }
            for i in range(KILLED_ROWS)
        ]
        session.execute(insert(AuditEntry), rows)
        session.flush()
        print("in-transaction", flush=True)
        signal.pause()  # the test kills this process here, mid-transaction
    return 1  # killed before it gets here


def loop(args: argparse.Namespace) -> int:
    board = Board(Database(make_url(args.url)), args.actor)
    for i in range(1_000_000):
        board.edit_deal(args.deal, DealFields(account=f"loop-{i}", next_step=f"loop-{i}"))
        board.set_check(args.deal, "1", stage="Prospect", checked=i % 2 == 0)
        if i == 0:
            print("looping", flush=True)
    return 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    modes = parser.add_subparsers(dest="mode", required=True)
    run = modes.add_parser("stress")
    run.add_argument("url")
    run.add_argument("worker", type=int)
    run.add_argument("seed", type=int)
    run.add_argument("ops", type=int)
    run.add_argument("actor")
    run.set_defaults(action=stress)
    for name, action in (("hold", hold), ("loop", loop)):
        killed = modes.add_parser(name)
        killed.add_argument("url")
        killed.add_argument("deal", type=int)
        killed.add_argument("actor")
        killed.set_defaults(action=action)
    args = parser.parse_args()
    return args.action(args)


if __name__ == "__main__":
    sys.exit(main())
