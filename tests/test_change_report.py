"""Did the change work? The change report on histories with a known effect, and the maths."""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from clock import FixedClock
from dealboard.db.models import StageTransition, User
from dealboard.domain.board import Board
from dealboard.domain.demo_revision import Walk, write_walks
from dealboard.domain.lookup import find_pipeline
from dealboard.domain.pipeline_spec import parse_pipeline_toml, to_toml
from dealboard.domain.reports.change import Call, days_text
from dealboard.domain.reports.significance import (
    mann_whitney_p,
    mann_whitney_u,
    p_text,
    two_proportion_p,
)
from dealboard.domain.reports.sql import MedianP90
from test_cli import Cli, cli  # noqa: F401

DAY = timedelta(days=1)


# -- the maths, against values worked out by hand ---------------------------------------


def test_two_proportion_z_test_matches_the_hand_computed_value() -> None:
    # 20/40 before, 34/40 after: pooled 54/80 = 0.675; se = √(0.675·0.325·(1/40 + 1/40))
    # = 0.104732; z = 0.35 / 0.104732 = 3.3419; p = erfc(3.3419/√2) = 0.000832.
    assert two_proportion_p(20, 40, 34, 40) == pytest.approx(0.000832, abs=1e-6)
    # 45/100 vs 55/100: pooled 0.5; se = √(0.25·0.02) = 0.070711; z = 1.4142; p = 0.1573.
    assert two_proportion_p(45, 100, 55, 100) == pytest.approx(0.1573, abs=1e-4)
    assert two_proportion_p(55, 100, 45, 100) == two_proportion_p(45, 100, 55, 100)
    assert two_proportion_p(40, 40, 30, 30) == 1.0  # everyone moved on both times
    assert two_proportion_p(0, 0, 3, 5) == 1.0


def test_mann_whitney_matches_the_hand_computed_value() -> None:
    # Fully apart: U₁ = 0; mean 4.5; σ² = 3·3/12 · 7 = 5.25; z = (4.5 − 0.5)/2.2913 = 1.7457;
    # p = erfc(1.7457/√2) = 0.08086 (SciPy's asymptotic mannwhitneyu gives the same).
    assert mann_whitney_u([1, 2, 3], [4, 5, 6]) == 0
    assert mann_whitney_p([1, 2, 3], [4, 5, 6]) == pytest.approx(0.08086, abs=1e-5)
    # With ties: [1,2,2,3] vs [2,3,4,4]. Ranks: 1→1, 2→3 (×3), 3→5.5 (×2), 4→7.5 (×2).
    # R₁ = 1 + 3 + 3 + 5.5 = 12.5; U₁ = 12.5 − 10 = 2.5. Ties: (27−3) + (8−2) + (8−2) = 36.
    # σ² = 16/12 · (9 − 36/56) = 11.1429; z = (8 − 2.5 − 0.5)/3.3381 = 1.4979; p = 0.1342.
    assert mann_whitney_u([1, 2, 2, 3], [2, 3, 4, 4]) == 2.5
    assert mann_whitney_p([1, 2, 2, 3], [2, 3, 4, 4]) == pytest.approx(0.1342, abs=1e-4)
    assert mann_whitney_p([5, 5, 5], [5, 5]) == 1.0  # all tied: nothing to tell apart
    assert mann_whitney_p([], [1.0]) == 1.0
    # U counts the pairs with the first value larger, a tie as ½: brute force agrees.
    a, b = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0], [2.0, 6.0, 5.0, 3.0, 5.0]
    pairs = sum(1.0 if x > y else 0.5 if x == y else 0.0 for x in a for y in b)
    assert mann_whitney_u(a, b) == pairs


def test_p_values_read_short() -> None:
    assert [p_text(p) for p in (0.0004, 0.0031, 0.0123, 0.4, 0.05, 1.0)] == [
        "p < 0.001",
        "p = 0.003",
        "p = 0.01",
        "p = 0.4",
        "p = 0.05",
        "p = 1",
    ]
    assert days_text(timedelta(days=7, hours=12)) == "7.5d"
    assert days_text(timedelta(days=30), timedelta(days=30)) == "30d+"
    assert days_text(timedelta(hours=5)) == "5h"


# -- the report on made-up histories ------------------------------------------------------


def revise(board: Board) -> datetime:
    """Add a Qualify criterion by importing the edited file; the revision's instant."""
    text = to_toml(board.export_pipeline("seven-step"))
    text = text.replace('bant = "timing" },', 'bant = "timing" },\n  "Champion found",', 1)
    board.import_pipeline(parse_pipeline_toml(text))
    [revision] = board.revisions()
    return revision.at


def walks(board: Board, stage: str, found: list[Walk]) -> None:
    with board.database.write() as session:
        pipeline = find_pipeline(session, "seven-step")
        target = next(s for s in pipeline.stages if s.name == stage)
        owner = session.scalars(select(User).where(User.name == "maria")).one()
        write_walks(session, pipeline, target, owner, found)


def history(
    at: datetime, *, before: tuple[int, int], after: tuple[int, int], slow: int, fast: int
) -> list[Walk]:
    """(moved on, entered) before and after; stays `slow`/`fast` days plus a spread of 0-4."""
    found = []
    for side, (moved, entered), days, start in (
        ("before", before, slow, at - 40 * DAY),
        ("after", after, fast, at + DAY),
    ):
        for n in range(entered):
            stay = (days + n % 5) * DAY
            outcome = ("on-won" if n % 3 else "on-lost") if n < moved else "lost"
            step = -DAY if side == "before" else DAY / 2
            found.append(Walk(start + step * n, stay, outcome))  # type: ignore[arg-type]
    return found


def test_a_criterion_that_worked_is_called_better(board: Board, clock: FixedClock) -> None:
    at = revise(board)
    walks(board, "Qualify", history(at, before=(20, 40), after=(34, 40), slow=12, fast=3))
    clock.advance(days=60)
    report = board.change_report()
    assert report.revision.number == 1
    [stage] = report.stages
    assert stage.stage == "Qualify"
    assert stage.changes == ("Qualify: criterion added: Champion found",)
    moved = stage.moved_on
    assert (moved.before.hits, moved.before.n, moved.after.hits, moved.after.n) == (20, 40, 34, 40)
    assert moved.verdict.call is Call.BETTER
    assert moved.verdict.p == pytest.approx(0.000832, abs=1e-6)
    assert moved.verdict.text == "better: 50% → 85% moved on (p < 0.001, 40 before, 40 after)"
    time = stage.time_in_stage
    assert time.verdict.call is Call.BETTER and time.verdict.p is not None
    assert time.verdict.p < 0.001
    assert time.before == MedianP90(40, 14 * DAY, 16 * DAY)
    assert time.after == MedianP90(40, 5 * DAY, 7 * DAY)
    assert time.verdict.text.startswith("better: median 14d → 5d in stage (p < 0.001, 40 before")
    assert stage.cycle.verdict.text == "not enough deals yet: 13 before (need 20)"
    assert stage.win_rate.before.n == 20 and stage.win_rate.after.n == 34
    assert stage.win_rate.verdict.call is Call.UNCLEAR  # 13/20 and 22/34 won
    assert stage.win_rate.verdict.text.startswith("no clear difference: 65% → 65% won (p = 0.9")
    assert (stage.straddling, stage.waiting, stage.not_measured) == (0, 0, 0)


def test_a_change_for_the_worse_is_called_worse(board: Board, clock: FixedClock) -> None:
    at = revise(board)
    walks(board, "Qualify", history(at, before=(32, 40), after=(18, 40), slow=4, fast=9))
    clock.advance(days=60)
    [stage] = board.change_report(revision=1).stages
    assert stage.moved_on.verdict.call is Call.WORSE
    assert stage.moved_on.verdict.p is not None and 0.001 <= stage.moved_on.verdict.p < 0.01
    assert stage.moved_on.verdict.text.startswith("worse: 80% → 45% moved on (p = 0.00")
    assert stage.time_in_stage.verdict.call is Call.WORSE


def test_too_few_deals_get_no_verdict(board: Board, clock: FixedClock) -> None:
    at = revise(board)
    walks(board, "Qualify", history(at, before=(20, 40), after=(14, 14), slow=12, fast=3))
    clock.advance(days=60)
    [stage] = board.change_report().stages
    for comparison in stage.comparisons:
        assert comparison.verdict.call is Call.TOO_FEW and comparison.verdict.p is None
    assert stage.moved_on.verdict.text == "not enough deals yet: 14 after (need 20)"


def test_deals_still_in_the_window_are_waiting_or_straddling_not_counted(
    board: Board, clock: FixedClock
) -> None:
    """Censoring: every counted deal has lived its first 30 days under one process."""
    at = revise(board)
    found = history(at, before=(20, 25), after=(20, 25), slow=5, fast=5)
    found += [Walk(at - 10 * DAY, 40 * DAY, "on-won") for _ in range(3)]  # straddling
    found += [Walk(at + 50 * DAY, 2 * DAY, "stay") for _ in range(4)]  # entered 10 days ago
    found += [Walk(at + 2 * DAY, 45 * DAY, "stay") for _ in range(4)]  # still in, 58 days
    walks(board, "Qualify", found)
    clock.advance(days=60)
    [stage] = board.change_report().stages
    assert (stage.straddling, stage.waiting) == (3, 4)
    # The four still in Qualify after 58 days count as not moved on, at 30 days in stage.
    assert (stage.moved_on.after.hits, stage.moved_on.after.n) == (20, 29)
    assert stage.time_in_stage.after.n == 29 and stage.time_in_stage.after.p90 == 30 * DAY
    assert stage.still_open_after == 0


def test_imported_stays_are_left_out_of_time_in_stage(board: Board, clock: FixedClock) -> None:
    at = revise(board)
    walks(board, "Qualify", history(at, before=(20, 30), after=(20, 30), slow=5, fast=5))
    with board.database.write() as session:
        qualify = next(s for s in find_pipeline(session, None).stages if s.name == "Qualify")
        first = session.scalars(
            select(StageTransition.id)
            .where(StageTransition.from_stage_id == qualify.id)
            .order_by(StageTransition.id)
            .limit(5)
        ).all()
        session.execute(
            update(StageTransition).where(StageTransition.id.in_(first)).values(imported=True)
        )
    clock.advance(days=60)
    [stage] = board.change_report().stages
    assert stage.not_measured == 5
    assert stage.time_in_stage.before.n + stage.time_in_stage.after.n == 55
    assert stage.moved_on.before.n + stage.moved_on.after.n == 60


def test_the_command_prints_verdicts_and_json(
    cli: Cli,  # noqa: F811
    board: Board,
    timed: FixedClock,
) -> None:
    at = revise(board)
    walks(board, "Qualify", history(at, before=(20, 40), after=(34, 40), slow=12, fast=3))
    timed.advance(days=60)
    code, out, err = cli("report", "change")
    assert (code, err) == (0, "")
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "Qualify: criterion added: Champion found" in out
    assert "better: 50% → 85% moved on (p < 0.001, 40 before, 40 after)" in out
    code, out, _ = cli("report", "change", "--revision", "1", "--format", "json")
    data = json.loads(out)
    assert data["report"] == "change" and data["revision"]["number"] == 1
    [stage] = data["stages"]
    moved = stage["moved_on"]
    assert moved["before"] == {"count": 20, "n": 40, "percent": 50.0}
    assert moved["verdict"] == "better" and math.isclose(moved["p"], 0.000832, abs_tol=1e-6)
    assert stage["time_in_stage"]["after"]["median_seconds"] == 5 * 86_400
    code, _, err = cli("report", "change", "--revision", "7")
    assert code != 0 and "revision" in err and "1 to 1" in err
