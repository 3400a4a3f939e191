"""WIP limits: a full hard-limited stage refuses the next deal through the gate; soft ones warn."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy.engine import URL

from clock import FixedClock
from dealboard.cli.main import main
from dealboard.db.database import Database
from dealboard.domain import identity
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.errors import GateClosed, RuleViolation
from dealboard.domain.filters import DealFilter
from dealboard.domain.gate_preview import preview_move
from dealboard.domain.pipeline_spec import load_builtin
from dealboard.domain.playbook import Audience
from dealboard.domain.playbook_markdown import playbook_markdown
from dealboard.domain.stage_limits import WipLimit
from dealboard.domain.views.board_view import BoardRequest, ColumnView, Viewport
from helpers import row_counts, tick_all

FULL = "Qualify is full: 2/2 deals (hard WIP limit)"


def limit(board: Board, stage: str, wip: WipLimit | None) -> None:
    """Import the board's pipeline again with `wip` on `stage`, as an edited file would."""
    spec = board.export_pipeline("seven-step")
    stages = tuple(replace(s, wip=wip) if s.name == stage else s for s in spec.stages)
    board.import_pipeline(replace(spec, stages=stages))


def fill(board: Board, stage: str, count: int) -> list[int]:
    """`count` deals started straight in `stage` (by the manager)."""
    return [board.add_deal(DealFields(title=f"{stage} {n}"), stage=stage) for n in range(count)]


def ready(board: Board, title: str = "Next in line") -> int:
    """A deal in Prospect whose exit criteria are all ticked: only the limit can stop it."""
    deal_id = board.add_deal(DealFields(title=title))
    tick_all(board, deal_id, "Prospect")
    return deal_id


def stage_of(board: Board, deal_id: int) -> str:
    return board.deal(deal_id).summary.stage


@pytest.fixture
def full_qualify(board: Board) -> Board:
    """Qualify has a hard limit of 2 and holds 2 deals."""
    limit(board, "Qualify", WipLimit(2, hard=True))
    fill(board, "Qualify", 2)
    return board


def test_a_move_into_a_full_hard_stage_is_refused_and_writes_nothing(
    full_qualify: Board, rep_board: Board
) -> None:
    deal_id = ready(rep_board)
    before = row_counts(rep_board)
    with pytest.raises(GateClosed) as refused:
        rep_board.move(deal_id, "Qualify")
    assert str(refused.value) == f"deal {deal_id} cannot move from Prospect to Qualify: {FULL}"
    assert row_counts(rep_board) == before
    assert stage_of(rep_board, deal_id) == "Prospect"


def test_a_rep_cannot_override_a_full_stage(full_qualify: Board, rep_board: Board) -> None:
    deal_id = ready(rep_board)
    with pytest.raises(RuleViolation, match="only a manager may override the gate"):
        rep_board.move(deal_id, "Qualify", override="the buyer is in a hurry")
    assert stage_of(rep_board, deal_id) == "Prospect"


def test_a_manager_overrides_with_a_reason_on_record_and_the_standup_marks_it(
    full_qualify: Board, clock: FixedClock, zone: Callable[[str], None]
) -> None:
    zone("UTC")
    clock.now = datetime(2026, 11, 18, 10, 0, tzinfo=UTC)
    deal_id = ready(full_qualify)
    clock.now = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # a Friday
    with pytest.raises(GateClosed):
        full_qualify.move(deal_id, "Qualify")  # a manager too needs a reason
    result = full_qualify.move(deal_id, "Qualify", override="board meeting on Friday")
    assert result.moved and result.overridden
    moved = full_qualify.deal(deal_id).history[0]
    assert (moved.to_stage, moved.override_reason) == ("Qualify", "board meeting on Friday")
    clock.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday's stand-up
    (maria,) = full_qualify.standup().people
    pushed = next(m for m in maria.moved if m.deal.id == deal_id)
    assert pushed.overrides == ("board meeting on Friday",)


def test_open_criteria_and_a_full_stage_are_both_named(full_qualify: Board) -> None:
    deal_id = full_qualify.add_deal(DealFields(title="Unready"))
    with pytest.raises(GateClosed) as refused:
        full_qualify.move(deal_id, "Qualify")
    message = str(refused.value)
    assert message.startswith(f"deal {deal_id} cannot move from Prospect to Qualify: {FULL}; ")
    assert "open exit criteria: Prospect: Fits the target customer profile" in message
    assert "\n" not in message


def test_a_soft_limit_never_refuses(board: Board) -> None:
    limit(board, "Qualify", WipLimit(2))
    fill(board, "Qualify", 2)
    deal_id = ready(board)
    assert board.move(deal_id, "Qualify").moved
    column = _column(board, "Qualify")
    assert column.load is not None and column.load.over
    assert column.count_text(20) == "⚠ 3/2"


def test_reordering_inside_a_full_stage_is_never_refused(full_qualify: Board) -> None:
    first, second = _column_ids(full_qualify, "Qualify")
    full_qualify.reorder(second, before=first)
    assert _column_ids(full_qualify, "Qualify") == [second, first]
    result = full_qualify.move(first, "Qualify", before=second)  # a drop in its own column
    assert not result.moved
    assert _column_ids(full_qualify, "Qualify") == [first, second]


def test_back_and_reopen_into_a_full_stage_are_refused_too(
    full_qualify: Board, rep_board: Board
) -> None:
    deal_id = ready(rep_board, "Moves back")
    full_qualify.move(deal_id, "Research", override="skipping ahead for the test")
    with pytest.raises(GateClosed, match=re.escape(FULL)):
        rep_board.move(deal_id, "Qualify")
    rep_board.lose(deal_id, "timing")
    with pytest.raises(GateClosed, match=re.escape(FULL)):
        rep_board.reopen(deal_id, "Qualify")
    assert stage_of(rep_board, deal_id) == "Lost"
    result = full_qualify.reopen(deal_id, "Qualify", override="they came back")
    assert result.overridden and stage_of(full_qualify, deal_id) == "Qualify"


def test_a_slot_freed_lets_the_next_deal_in(full_qualify: Board, rep_board: Board) -> None:
    deal_id = ready(rep_board)
    leaving = _column_ids(full_qualify, "Qualify")[0]
    full_qualify.lose(leaving, "price")
    assert rep_board.move(deal_id, "Qualify").moved
    assert _column(full_qualify, "Qualify").load.text == "2/2"


def test_a_new_deal_into_a_full_stage_is_refused_for_a_rep_not_a_manager(
    full_qualify: Board, rep_board: Board
) -> None:
    before = row_counts(rep_board)
    with pytest.raises(RuleViolation) as refused:
        rep_board.add_deal(DealFields(title="Walk-in"), stage="Qualify")
    assert str(refused.value) == f"a new deal cannot start in Qualify: {FULL}"
    assert row_counts(rep_board) == before
    assert rep_board.add_deal(DealFields(title="Walk-in"))  # Prospect has no limit
    assert full_qualify.add_deal(DealFields(title="Referral"), stage="Qualify")
    assert _column(full_qualify, "Qualify").load.text == "3/2"


def test_the_gate_preview_says_why_for_the_board(full_qualify: Board) -> None:
    deal_id = ready(full_qualify)
    check = preview_move(full_qualify, deal_id, "Qualify")
    assert not check.allowed and not check.blocking
    assert check.full is not None and check.full.reason == FULL
    won = preview_move(full_qualify, _column_ids(full_qualify, "Qualify")[0], "Research")
    assert won.full is None  # Research has no limit


def test_winning_and_losing_ignore_limits(board: Board) -> None:
    limit(board, "Qualify", WipLimit(1, hard=True))
    (deal_id,) = fill(board, "Qualify", 1)
    assert board.win(deal_id, override="signed at the first call").moved


def test_the_header_counts_every_deal_of_the_stage_whatever_the_filter(
    full_qualify: Board,
) -> None:
    mine = full_qualify.add_deal(DealFields(title="Tagged", add_tags=("vip",)))
    full_qualify.move(mine, "Qualify", override="for the count")
    unfiltered = _column(full_qualify, "Qualify")
    assert (unfiltered.count, unfiltered.count_text(20)) == (3, "⚠ 3/2 full")
    filtered = _column(full_qualify, "Qualify", DealFilter.parse("#vip"))
    assert (filtered.count, filtered.count_text(20)) == (1, "⚠ 1 · 3/2 full")
    assert filtered.count_text(12) == "⚠ 1 · 3/2"
    assert _column(full_qualify, "Research").load is None


def test_a_narrow_header_drops_the_word_full_first(full_qualify: Board) -> None:
    column = _column(full_qualify, "Qualify")
    assert column.count_text(10) == "⚠ 2/2 full"
    assert column.count_text(9) == "⚠ 2/2"


def test_the_shipped_seven_step_pipeline_limits_pitch_and_objections() -> None:
    stages = {s.name: s.wip for s in load_builtin("seven-step").stages}
    assert stages["Pitch"] == WipLimit(6, hard=True)
    assert stages["Overcome Objections"] == WipLimit(4)
    assert stages["Prospect"] is None


def test_the_playbook_states_a_stages_limit(board: Board) -> None:
    page = playbook_markdown(board.playbook("seven-step", Audience.TEAM))
    assert "- **WIP limit:** at most 6 open deals; a move into the full stage is refused" in page
    assert "- **WIP limit:** 4 open deals; the board warns when the stage reaches it" in page
    assert "A stage at its hard WIP limit takes no more deals" in page
    buyer = playbook_markdown(board.playbook("seven-step", Audience.BUYER))
    assert "WIP" not in buyer


def test_two_moves_racing_for_the_last_slot_cannot_both_get_in(
    board: Board, clock: FixedClock
) -> None:
    limit(board, "Qualify", WipLimit(2, hard=True))
    fill(board, "Qualify", 1)
    board.add_user("sam", "Sam", "rep")
    board.add_user("rick", "Rick", "rep")
    racers = [Board(Database(board.database.url), name, clock) for name in ("sam", "rick")]
    deals = [ready(racer, f"{racer.user_name}'s deal") for racer in racers]
    start = threading.Barrier(len(racers))
    outcomes: list[str] = []

    def race(racer: Board, deal_id: int) -> None:
        start.wait()
        try:
            racer.move(deal_id, "Qualify")
            outcomes.append("moved")
        except GateClosed as refused:
            outcomes.append(str(refused))

    threads = [threading.Thread(target=race, args=pair) for pair in zip(racers, deals, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for racer in racers:
        racer.database.dispose()
    assert sorted(outcomes)[1] == "moved", outcomes
    assert FULL in sorted(outcomes)[0]
    assert _column(board, "Qualify").load.text == "2/2"


def test_a_move_waits_for_one_holding_the_stage_then_counts_it(
    board: Board, clock: FixedClock
) -> None:
    """Deterministic: the first mover's transaction is open when the second arrives."""
    from dealboard.domain import moves, users

    limit(board, "Qualify", WipLimit(2, hard=True))
    fill(board, "Qualify", 1)
    first, second = ready(board, "First"), ready(board, "Second")
    other = Board(Database(board.database.url), board.user_name, clock)
    outcome: list[BaseException | None] = []
    arrived = threading.Event()

    def second_mover() -> None:
        arrived.set()
        try:
            other.move(second, "Qualify")
            outcome.append(None)
        except GateClosed as refused:
            outcome.append(refused)

    with board.database.write() as session:
        actor = users.acting_user(session, board.user_name, clock())
        moves.move_deal(session, actor, first, "Qualify", override=None, now=clock())
        mover = threading.Thread(target=second_mover)
        mover.start()
        arrived.wait()
        mover.join(timeout=0.5)
        assert mover.is_alive()  # it waits on the stage (PostgreSQL) or the database (SQLite)
    mover.join()
    other.database.dispose()
    assert isinstance(outcome[0], GateClosed) and FULL in str(outcome[0])
    assert stage_of(board, first) == "Qualify" and stage_of(board, second) == "Prospect"


def test_the_command_line_refuses_in_one_line_and_managers_override(
    full_qualify: Board,
    rep_board: Board,
    db_url: URL,
    capsys: pytest.CaptureFixture[str],
    timed: FixedClock,
) -> None:
    def cli(*args: str, user: str = "maria") -> tuple[int, str, str]:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(identity, "login_for", lambda _database: user)
            code = main(["--db", db_url.render_as_string(hide_password=False), *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    deal_id = str(ready(rep_board))
    code, out, err = cli("move", deal_id, "Qualify", user="rick")
    assert code == 3 and out == ""
    assert err == f"dealboard: deal {deal_id} cannot move from Prospect to Qualify: {FULL}\n"
    code, _, err = cli("move", deal_id, "Qualify", "--override", "urgent", user="rick")
    assert code == 3 and "only a manager" in err
    code, out, _ = cli("move", deal_id, "Qualify", "--override", "CEO asked")
    assert code == 0 and out == f"deal {deal_id}: Prospect -> Qualify (gate overridden)\n"
    code, out, _ = cli("board")
    assert code == 0 and "Qualify  ⚠ 3/2 deals, full  " in out
    assert "Pitch  0/6 deals  " in out
    assert cli("lose", deal_id, "--reason", "price")[0] == 0
    code, _, err = cli("reopen", deal_id, "Qualify")
    assert code == 3 and err.endswith(f"Lost to Qualify: {FULL}\n")
    code, out, _ = cli("reopen", deal_id, "Qualify", "--override", "they called back")
    assert code == 0 and out == f"deal {deal_id}: Lost -> Qualify (gate overridden)\n"


def _column(board: Board, stage: str, flt: DealFilter | None = None) -> ColumnView:
    view = board.views.board_view(
        BoardRequest(filter=flt or DealFilter()), Viewport(), None
    ).content
    return next(c for c in view.columns if c.stage.name == stage)


def _column_ids(board: Board, stage: str) -> list[int]:
    return [card.id for card in _column(board, stage).cards]


def test_a_rep_cannot_redo_a_move_into_a_stage_filled_meanwhile(
    board: Board, rep_board: Board
) -> None:
    limit(board, "Qualify", WipLimit(2, hard=True))
    fill(board, "Qualify", 1)
    mine = ready(rep_board)
    rep_board.move(mine, "Qualify")  # 2/2
    rep_board.undo()  # back in Prospect: 1/2
    fill(board, "Qualify", 1)  # a colleague takes the slot: 2/2
    before = row_counts(rep_board)

    with pytest.raises(RuleViolation, match=re.escape(f"cannot redo: {FULL}")):
        rep_board.redo()

    assert stage_of(rep_board, mine) == "Prospect"
    assert row_counts(rep_board) == before
