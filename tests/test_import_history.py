"""Imported history means what the file means: the stage a deal was lost from, when an open deal
entered its stage, and reports that leave out what no one measured, and say so."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from clock import FixedClock
from dealboard.db.models import Deal, Stage, StageTransition
from dealboard.domain.board import Board
from dealboard.ui.reports.charts import Words
from dealboard.ui.reports.flow_views import funnel_blocks, stages_blocks
from dealboard.ui.reports.people_views import losses_blocks
from test_cli import Cli, cli  # noqa: F401 - the fixture is used by name
from test_import_csv import Desk, utc  # noqa: F401 - times without a zone are UTC here


@pytest.fixture
def desk(cli: Cli, board: Board, timed: FixedClock, tmp_path: Path) -> Desk:  # noqa: F811
    return Desk(cli, board, timed, tmp_path)


# HubSpot and Salesforce put a closed deal in "Closed Lost"; a column says where it was lost.
CLOSED = (
    "Deal Name,Amount,Deal Stage,Create Date,Close Date,Lost stage\n"
    "W1,1000,Closed Won,2026-09-01,2026-09-20,\n"
    "L1,500,Closed Lost,2026-09-01,2026-09-05,Qualify\n"
    "L2,600,Closed Lost,2026-09-01,2026-09-10,Research\n"
    "L3,700,Closed Lost,2026-09-01,2026-09-15,Pitch\n"
    "L4,800,Closed Lost,2026-09-01,2026-09-16,\n"
)


def history(desk: Desk, title: str) -> list[tuple[str | None, str, bool]]:
    """(from stage, to stage, imported) of one deal's transitions, oldest first."""
    with desk.board.database.read() as session:
        deal_id = session.scalar(select(Deal.id).where(Deal.title == title))
        names = dict(session.execute(select(Stage.id, Stage.name)).all())
        rows = session.execute(
            select(
                StageTransition.from_stage_id,
                StageTransition.to_stage_id,
                StageTransition.imported,
            )
            .where(StageTransition.deal_id == deal_id)
            .order_by(StageTransition.at, StageTransition.id)
        ).all()
    return [(names.get(f), names[t], bool(i)) for f, t, i in rows]


def test_a_lost_stage_column_says_where_each_loss_happened(desk: Desk) -> None:
    desk.imported(CLOSED)
    assert history(desk, "L3") == [(None, "Pitch", True), ("Pitch", "Lost", True)]
    assert history(desk, "L4") == [(None, "Lost", True)]  # nowhere made up
    assert history(desk, "W1") == [(None, "Prospect", True), ("Prospect", "Won", True)]
    losses = desk.board.report("losses")
    by_stage = {t.key: t.lost for t in losses.by_stage if t.lost}
    assert by_stage == {"Qualify": 1, "Research": 1, "Pitch": 1, "(unknown)": 1}
    assert losses.not_measured == 1
    assert losses.imported_note == (
        "1 imported deal lost from a stage the file did not say: counted under (unknown)"
    )


def test_the_funnel_no_longer_passes_every_deal_through_the_middle_stages(desk: Desk) -> None:
    desk.imported(CLOSED)
    funnel = desk.board.report("funnel")
    reached = {s.stage: s.reached for s in funnel.steps}
    assert reached["Prospect"] == 4  # W1, L1, L2, L3; L4's stage is not known
    assert reached["Research"] == 3
    assert reached["Pitch"] == 2
    assert reached["Overcome Objections"] == 1
    research = next(s for s in funnel.steps if s.stage == "Research")
    assert research.to_next is not None
    assert (research.to_next.hits, research.to_next.n) == (2, 3)
    assert (funnel.deals, funnel.lost, funnel.not_measured) == (5, 4, 1)
    assert funnel.imported_note == "1 imported deal's stage history is not measured and left out"
    code, out, _ = desk.cli("report", "funnel")
    assert code == 0
    assert "1 imported deal's stage history is not measured and left out" in out


def test_time_in_stage_leaves_imported_stays_out_and_says_so(desk: Desk) -> None:
    desk.imported(CLOSED)
    stages = desk.board.report("stages")
    assert all(s.finished.n == 0 and s.ongoing.n == 0 for s in stages.stages)
    assert stages.not_measured == 4  # the four that left an open stage; L4 never was in one
    note = "4 imported deals' time in stage is not measured and left out"
    assert stages.imported_note == note
    code, out, _ = desk.cli("report", "stages")
    assert code == 0
    assert note in out
    code, out, _ = desk.cli("report", "stages", "--format", "json")
    assert code == 0
    assert '"not_measured": 4' in out
    assert Words(note) in stages_blocks(stages)


def test_the_reports_on_screen_carry_the_same_line(desk: Desk) -> None:
    desk.imported(CLOSED)
    board = desk.board
    funnel_note = "1 imported deal's stage history is not measured and left out"
    assert Words(funnel_note) in funnel_blocks(board.report("funnel"))
    losses = board.report("losses")
    assert losses.imported_note is not None
    assert Words(losses.imported_note) in losses_blocks(losses)


def test_lost_from_names_a_column_of_any_name_and_a_won_deal_leaves_its_last_stage(
    desk: Desk,
) -> None:
    desk.imported(
        "Title,Stage,Created,Closed,Where it ended\n"
        "W,Won,2026-09-01,2026-09-20,Close\n"
        "L,Lost,2026-09-01,2026-09-05,Research\n",
        "--lost-from",
        "Where it ended",
    )
    assert history(desk, "W") == [(None, "Close", True), ("Close", "Won", True)]
    assert history(desk, "L") == [(None, "Research", True), ("Research", "Lost", True)]
    _, lines = desk.refused("Title\nA\n", "--lost-from", "Nowhere")
    assert lines[0].startswith("--lost-from: ")
    assert "has no column 'Nowhere'" in lines[0]


def test_an_open_deal_has_been_in_its_stage_since_the_files_stage_change_time(
    desk: Desk,
) -> None:
    _, out = desk.imported(
        "Deal - Title;Deal - Stage;Deal - Deal created;Deal - Stage change time\n"
        "Moved;Pitch;2020-01-10;2026-11-01 09:00\n"
    )
    assert "'Deal - Stage change time' → stage_entered" in out
    (deal,) = desk.deals()
    assert desk.shown(deal["id"])["stage_entered_at"].startswith("2026-11-01T09:00")
    stages = desk.board.report("stages")
    pitch = next(s for s in stages.stages if s.stage == "Pitch")
    assert pitch.ongoing.n == 1  # a stay the file measured: counted
    assert pitch.ongoing.median is not None
    assert pitch.ongoing.median.days == 19
    assert stages.not_measured == 0
    assert stages.imported_note is None


def test_hubspot_date_entered_columns_give_the_one_for_the_deals_stage(desk: Desk) -> None:
    desk.imported(
        'Deal Name,Deal Stage,Create Date,Date entered "Qualify (Sales Pipeline)",'
        'Date entered "Pitch (Sales Pipeline)",Date entered "Research (Sales Pipeline)"\n'
        "A,Pitch,2026-01-05,2026-02-01,2026-03-01,2026-04-01\n"
        "B,Close,2026-01-05,2026-02-01,2026-03-01,2026-04-01\n"
    )
    entered = {d["title"]: desk.shown(d["id"])["stage_entered_at"][:10] for d in desk.deals()}
    assert entered == {"A": "2026-03-01", "B": "2026-04-01"}  # B: no column of its own, latest


def test_without_a_stage_entry_time_the_stay_counts_from_the_import_and_is_left_out(
    desk: Desk,
) -> None:
    desk.imported("Title,Stage,Created\nOld lead,Qualify,2017-03-01\n")
    (deal,) = desk.deals()
    imported_at = desk.clock.now
    assert datetime.fromisoformat(desk.shown(deal["id"])["stage_entered_at"]) == imported_at
    stages = desk.board.report("stages")
    assert all(s.ongoing.n == 0 for s in stages.stages)
    assert stages.imported_note == "1 imported deal's time in stage is not measured and left out"
    desk.clock.advance(days=3)
    desk.board.move(deal["id"], "Research", override="moved in the review")
    # The stay that ended began at the import, not when the deal entered Qualify: not measured.
    assert history(desk, "Old lead")[-1] == ("Qualify", "Research", True)
    stages = desk.board.report("stages")
    qualify = next(s for s in stages.stages if s.stage == "Qualify")
    research = next(s for s in stages.stages if s.stage == "Research")
    assert (qualify.finished.n, research.ongoing.n) == (0, 1)  # the stay in Research is real
    assert stages.not_measured == 1
    desk.clock.advance(days=2)
    desk.board.move(deal["id"], "Qualify")
    assert history(desk, "Old lead")[-1] == ("Research", "Qualify", False)
    assert desk.board.report("stages").stages[2].finished.n == 1


def test_a_stage_entry_time_in_the_future_is_refused(desk: Desk) -> None:
    later = datetime(2027, 1, 1, tzinfo=UTC)
    _, lines = desk.refused(f"Title,Stage,Stage change time\nA,Pitch,{later:%Y-%m-%d}\n")
    assert lines[0].endswith('column "Stage change time": 2027-01-01 00:00 UTC is in the future')


def test_undo_and_redo_keep_a_stay_begun_at_the_import_unmeasured(desk: Desk) -> None:
    desk.imported("Title,Stage,Created\nOld lead,Qualify,2017-03-01\n")
    (deal,) = desk.deals()
    desk.clock.advance(days=3)
    desk.board.move(deal["id"], "Research", override="moved in the review")
    desk.board.undo()
    assert history(desk, "Old lead") == [(None, "Qualify", True)]
    assert desk.board.report("stages").not_measured == 1  # counted from the import again
    desk.board.redo()
    assert history(desk, "Old lead")[-1] == ("Qualify", "Research", True)
