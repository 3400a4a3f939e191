"""`8` on the Reports screen: did the change work? Before/after bars with the verdict in words."""

from __future__ import annotations

from pilot_helpers import app_opened_with, press_and_settle, seen
from textual.pilot import Pilot
from textual.widgets import Tabs

from dealboard.domain.board import Board
from dealboard.domain.pipeline_spec import parse_pipeline_toml, to_toml


def _chart(pilot: Pilot) -> str:
    return seen(pilot.app.screen.query_one("#reports-chart"))


async def test_the_change_tab_shows_the_demo_revisions_verdicts(demo_board: Board) -> None:
    report = demo_board.report("change")
    assert report.revision is not None
    [stage] = report.stages
    async with app_opened_with(demo_board, "R", (160, 60)) as pilot:
        await press_and_settle(pilot, "8")
        assert pilot.app.screen.query_one(Tabs).active == "change"
        chart = _chart(pilot)
        assert f"Revision {report.revision.number}" in chart
        assert "Qualify: criterion added: Decision maker identified" in chart
        for comparison in stage.comparisons:
            assert comparison.verdict.text in chart
        assert stage.moved_on.verdict.text.startswith("better: ")
        about = seen(pilot.app.screen.query_one("#reports-about"))
        assert "the window does not apply" in about


async def test_a_revision_without_enough_deals_says_so(board: Board) -> None:
    text = to_toml(board.export_pipeline("seven-step")).replace(
        "probability = 10\n", "probability = 12\n"
    )
    board.import_pipeline(parse_pipeline_toml(text))
    async with app_opened_with(board, "R", (120, 40)) as pilot:
        await press_and_settle(pilot, "8")
        chart = _chart(pilot)
        assert "Qualify: probability 10 → 12" in chart
        assert "not enough deals yet: 0 before, 0 after (need 20 each)" in chart


async def test_a_pipeline_never_revised_says_how_to_record_one(board: Board) -> None:
    async with app_opened_with(board, "R", (120, 40)) as pilot:
        await press_and_settle(pilot, "8")
        assert "No revision of this pipeline yet" in _chart(pilot)
