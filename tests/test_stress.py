"""A team working one board from several processes at once, and a writer killed mid-change.

Each teammate is a real process (tests/stress_worker.py) talking to the board
through the domain layer, on whichever engine the suite runs on. Afterwards
the board must tell one story: every saved edit is in the audit log once,
every field holds the value its last audit row says, every stage change has
its transition, and a killed writer leaves nothing half-done and no lock.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from itertools import pairwise
from pathlib import Path
from select import select as wait_readable

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.engine import URL

from dealboard.db.database import Database
from dealboard.db.models import AuditEntry, ChecklistTick, Deal, Stage, StageTransition
from dealboard.domain.board import Board, open_board
from dealboard.domain.deals import DealFields

WORKER = Path(__file__).with_name("stress_worker.py")
TEAM = ("maria", "rick", "rita", "ravi")
OPS_PER_WORKER = 200
DEALS = 10
#: The killed writer's edits and audit rows (see stress_worker.py).
KILLED_MARKER = "killed-txn"
COMMITTED_BEFORE_KILL = 20
#: How soon a write must get through once the writer holding the lock is dead.
PROMPT_WRITE_SECONDS = 5.0
#: How long a worker may take to import and connect: a deadline, not a wait; a loaded
#: two-core machine has taken over 30 s to start four Python processes at once.
READY_SECONDS = 120

pytestmark = pytest.mark.slow


def _spawn(url: URL, mode: str, *args: object, stderr: Path) -> subprocess.Popen[bytes]:
    with stderr.open("wb") as errors:
        return subprocess.Popen(
            [sys.executable, str(WORKER), mode, url.render_as_string(hide_password=False)]
            + [str(a) for a in args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
        )


def _wait_for_line(process: subprocess.Popen[bytes], wanted: str, stderr: Path, timeout: float):
    """Read the worker's stdout until the line `wanted` appears (or fail, showing stderr)."""
    assert process.stdout is not None
    fd = process.stdout.fileno()
    seen = b""
    deadline = time.monotonic() + timeout
    while wanted.encode() + b"\n" not in seen:
        left = deadline - time.monotonic()
        ready, _, _ = wait_readable([fd], [], [], max(left, 0))
        chunk = os.read(fd, 4096) if ready else b""
        if not chunk:
            process.kill()
            process.wait()
            pytest.fail(
                f"worker never said {wanted!r} (exit {process.returncode}); "
                f"stdout {seen!r}; stderr:\n{stderr.read_text()}"
            )
        seen += chunk


def _seed_board(url: URL) -> Board:
    """The seven-step board with the team and deals spread over the open stages."""
    board = open_board(url, TEAM[0], create=True)
    for name in TEAM[1:]:
        board.add_user(name, name.title(), "manager")  # everyone may touch every deal
    stages = [s.name for s in board.pipeline().open_stages]
    for n in range(DEALS):
        board.add_deal(
            DealFields(title=f"Deal {n}", account=f"Account {n}", next_step=f"Call {n}"),
            stage=stages[n % 3],
        )
    return board


def _assert_consistent(board: Board) -> None:
    """The board tells one story: values, ticks and stages all agree with the audit log."""
    with board.database.read() as session:
        if board.database.is_sqlite:
            assert session.execute(text("PRAGMA integrity_check")).scalars().all() == ["ok"]
            assert session.execute(text("PRAGMA foreign_key_check")).all() == []
        deals = {d.id: d for d in session.scalars(select(Deal))}
        stage_names = dict(session.execute(select(Stage.id, Stage.name)).all())

        history: dict[tuple[int, str], list[AuditEntry]] = defaultdict(list)
        for entry in session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.entity == "deal",
                AuditEntry.field.in_(("account", "next_step", "stage")),
            )
            .order_by(AuditEntry.id)
        ):
            history[entry.entity_id, entry.field].append(entry)
        for deal in deals.values():
            for field in ("account", "next_step", "stage"):
                rows = history[deal.id, field]
                assert rows[0].action == "create", (deal.id, field)
                for before, after in pairwise(rows):
                    assert after.old_value == before.new_value, (deal.id, field, after.id)
                final = stage_names[deal.stage_id] if field == "stage" else getattr(deal, field)
                assert final == rows[-1].new_value, (deal.id, field)

        transitions: dict[int, list[str]] = defaultdict(list)
        for deal_id, to_stage in session.execute(
            select(StageTransition.deal_id, StageTransition.to_stage_id).order_by(
                StageTransition.id
            )
        ):
            transitions[deal_id].append(stage_names[to_stage])
        for deal_id in deals:
            assert transitions[deal_id] == [r.new_value for r in history[deal_id, "stage"]]

        ticks = set(session.execute(select(ChecklistTick.deal_id, ChecklistTick.criterion_id)))
        last_state: dict[tuple[int, int], str | None] = {}
        for deal_id, criterion_id, old, new in session.execute(
            select(
                AuditEntry.deal_id, AuditEntry.entity_id, AuditEntry.old_value, AuditEntry.new_value
            )
            .where(AuditEntry.entity == "checklist")
            .order_by(AuditEntry.id)
        ):
            assert old == last_state.get((deal_id, criterion_id), "open")
            last_state[deal_id, criterion_id] = new
        assert ticks == {key for key, state in last_state.items() if state == "done"}


def _audit_values(board: Board, *values: str) -> dict[str, int]:
    with board.database.read() as session:
        return dict(
            session.execute(
                select(AuditEntry.new_value, func.count())
                .where(AuditEntry.new_value.in_(values))
                .group_by(AuditEntry.new_value)
            ).all()
        )


def _count(board: Board, statement) -> int:
    with board.database.read() as session:
        return session.scalar(statement) or 0


def test_four_teammates_in_four_processes_lose_nothing_and_double_nothing(
    db_url: URL, tmp_path: Path
) -> None:
    board = _seed_board(db_url)
    workers = []
    for number, actor in enumerate(TEAM):
        errors = tmp_path / f"worker{number}.stderr"
        seed = random.randrange(1 << 30)
        process = _spawn(db_url, "stress", number, seed, OPS_PER_WORKER, actor, stderr=errors)
        workers.append((number, seed, process, errors))
    for _number, _seed, process, errors in workers:
        _wait_for_line(process, "ready", errors, timeout=READY_SECONDS)

    started = time.monotonic()
    for _number, _seed, process, _errors in workers:
        assert process.stdin is not None
        process.stdin.write(b"go\n")
        process.stdin.flush()
    outputs = [process.communicate(timeout=180)[0] for _, _, process, _ in workers]
    elapsed = time.monotonic() - started

    summaries = []
    for (number, seed, process, errors), output in zip(workers, outputs, strict=True):
        assert process.returncode == 0, (
            f"worker {number} (seed {seed}) exited {process.returncode}:\n"
            f"{errors.read_text()}\n{output.decode()[-2000:]}"
        )
        summaries.append(json.loads(output.decode().splitlines()[-1]))
    print(f"\n{len(TEAM)} workers x {OPS_PER_WORKER} ops in {elapsed:.1f} s")
    for summary in summaries:
        print(
            summary["actor"],
            summary["seconds"],
            summary["counts"],
            summary["refused"],
            summary["driver_errors"],
        )
    deadlocks = [
        (s["actor"], what, n)
        for s in summaries
        for what, n in s["driver_errors"].items()
        if what.endswith("40P01")
    ]
    assert deadlocks == [], f"writers deadlocked (retried; the lock order is broken): {deadlocks}"

    saved = [e["marker"] for s in summaries for e in s["edits"]]
    failed = [m for s in summaries for m in s["failed_markers"]]
    assert saved, "no edit got through"
    in_log = _audit_values(board, *saved, *failed)
    assert {m: in_log.get(m, 0) for m in saved} == dict.fromkeys(saved, 1)
    assert {m: in_log[m] for m in failed if m in in_log} == {}

    moves = sum(s["counts"].get("move", 0) for s in summaries)
    assert moves > 0, "no move got through the gate"
    move_rows = _count(
        board,
        select(func.count(AuditEntry.id)).where(
            AuditEntry.action == "move", AuditEntry.field == "stage"
        ),
    )
    later_transitions = _count(
        board,
        select(func.count(StageTransition.id)).where(StageTransition.from_stage_id.is_not(None)),
    )
    assert move_rows == later_transitions == moves
    assert _count(board, select(func.count(StageTransition.id))) == moves + DEALS
    _assert_consistent(board)
    board.database.dispose()


def _write_promptly(url: URL, deal_id: int, account: str) -> float:
    """Seconds an edit of the deal takes on a fresh connection (fails if it hangs or errors)."""
    board = Board(Database(url), TEAM[0])
    outcome: dict[str, BaseException] = {}

    def edit() -> None:
        try:
            board.edit_deal(deal_id, DealFields(account=account))
        except BaseException as exc:
            outcome["error"] = exc

    started = time.monotonic()
    writer = threading.Thread(target=edit, daemon=True)
    writer.start()
    writer.join(PROMPT_WRITE_SECONDS * 4)
    elapsed = time.monotonic() - started
    assert not writer.is_alive(), (
        f"a write still waits for the dead writer's lock ({elapsed:.0f} s)"
    )
    if "error" in outcome:
        raise outcome["error"]
    board.database.dispose()
    return elapsed


def _kill(process: subprocess.Popen[bytes]) -> None:
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait(timeout=10) == -signal.SIGKILL
    assert process.stdout is not None
    process.stdout.close()
    assert process.stdin is not None
    process.stdin.close()


def test_a_writer_killed_inside_a_long_transaction_leaves_no_trace_and_no_lock(
    db_url: URL, tmp_path: Path
) -> None:
    board = _seed_board(db_url)
    deal_id = board.list_deals()[0].id
    board.database.dispose()
    errors = tmp_path / "hold.stderr"
    writer = _spawn(db_url, "hold", deal_id, TEAM[1], stderr=errors)
    _wait_for_line(writer, "in-transaction", errors, timeout=60)
    _kill(writer)

    assert _write_promptly(db_url, deal_id, "after the kill") < PROMPT_WRITE_SECONDS
    board = Board(Database(db_url), TEAM[0])
    pre_kill = [f"pre-kill-{i}" for i in range(COMMITTED_BEFORE_KILL)]
    assert _audit_values(board, *pre_kill) == dict.fromkeys(pre_kill, 1)
    assert _audit_values(board, KILLED_MARKER) == {}
    leftovers = _count(
        board,
        select(func.count(AuditEntry.id)).where(AuditEntry.new_value.like(f"{KILLED_MARKER}%")),
    )
    assert leftovers == 0
    deal = board.deal(deal_id).summary
    assert (deal.account, deal.next_step) == ("after the kill", pre_kill[-1])
    _assert_consistent(board)
    board.database.dispose()


def test_a_writer_killed_at_a_random_moment_of_a_busy_loop_leaves_whole_changes_only(
    db_url: URL, tmp_path: Path
) -> None:
    board = _seed_board(db_url)
    deal_id = board.list_deals()[0].id
    board.database.dispose()
    errors = tmp_path / "loop.stderr"
    writer = _spawn(db_url, "loop", deal_id, TEAM[1], stderr=errors)
    _wait_for_line(writer, "looping", errors, timeout=60)
    time.sleep(random.uniform(0.2, 0.8))
    assert writer.poll() is None, errors.read_text()
    _kill(writer)

    board = Board(Database(db_url), TEAM[0])
    deal = board.deal(deal_id).summary
    assert deal.account == deal.next_step
    assert deal.account.startswith("loop-")
    _assert_consistent(board)
    board.database.dispose()
    assert _write_promptly(db_url, deal_id, "after the kill") < PROMPT_WRITE_SECONDS
