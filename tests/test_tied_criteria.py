"""Criteria tied to research notes and the objection log: ticked by the data, never against it."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from sqlalchemy import URL, select

from dealboard.db.database import Database
from dealboard.db.models import StageCriterion
from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.errors import InvalidInput, RuleViolation
from dealboard.domain.pipeline_spec import load_builtin, to_toml, validate_pipeline
from dealboard.domain.research import ResearchFields
from test_cli import Cli, cli  # noqa: F401 - the fixture is used by name

RESEARCH = ("Key stakeholders listed", "Buying process described", "Pain points recorded",
            "Objectives recorded")  # fmt: skip
RESOLVED = "Every logged objection resolved or accepted"


def ticked(board: Board, deal_id: int, stage: str) -> dict[str, bool]:
    return {c.text: c.checked for c in board.deal(deal_id).checklist if c.stage == stage}


@pytest.fixture
def deal_id(board: Board) -> int:
    return board.add_deal(DealFields(title="Fleet rollout", account="Northwind"))


def test_research_criteria_follow_the_notes_and_the_stakeholders(
    board: Board, deal_id: int
) -> None:
    assert ticked(board, deal_id, "Research") == dict.fromkeys(RESEARCH, False)
    board.save_research(deal_id, ResearchFields(buying_process="CFO signs; legal reviews"))
    board.save_research(deal_id, ResearchFields(pain_points="Paper logbooks"))
    person = board.add_stakeholder(deal_id, name="Dana Buyer", role="CFO")
    assert ticked(board, deal_id, "Research") == {
        "Key stakeholders listed": True,
        "Buying process described": True,
        "Pain points recorded": True,
        "Objectives recorded": False,
    }
    board.save_research(deal_id, ResearchFields(buying_process="   "))  # emptied
    board.remove_stakeholder(person)
    state = ticked(board, deal_id, "Research")
    assert not state["Buying process described"] and not state["Key stakeholders listed"]
    assert state["Pain points recorded"]


def test_a_hand_tick_against_the_data_is_refused_and_says_what_to_do(
    board: Board, deal_id: int
) -> None:
    with pytest.raises(RuleViolation, match="describe the buying process"):
        board.set_check(deal_id, "Buying process described", stage="Research")
    board.save_research(deal_id, ResearchFields(buying_process="CFO signs"))
    board.set_check(deal_id, "Buying process described", stage="Research")  # agrees: fine
    with pytest.raises(RuleViolation, match="change the research notes to untick it"):
        board.set_check(deal_id, "Buying process described", stage="Research", checked=False)
    board.add_objection(deal_id, category="cost", text="Too expensive")
    with pytest.raises(RuleViolation, match="resolve every objection"):
        board.set_check(deal_id, RESOLVED, stage="Overcome Objections")


def test_objections_resolved_holds_only_while_no_objection_is_unresolved(
    board: Board, deal_id: int
) -> None:
    def resolved() -> bool:
        return ticked(board, deal_id, "Overcome Objections")[RESOLVED]

    assert resolved()  # nothing logged, nothing unresolved
    first = board.add_objection(deal_id, category="cost", text="Too expensive")
    assert not resolved()
    board.answer_objection(first, "Phased rollout")
    assert not resolved()  # answered is not resolved: the buyer has not accepted it yet
    board.set_objection_status(first, "resolved")
    assert resolved()
    board.add_objection(deal_id, category="timing", text="Next year", response="Start small")
    assert not resolved()
    board.set_objection_status(first, "open")
    assert not resolved()


def test_undoing_the_data_undoes_its_tick(board: Board, deal_id: int) -> None:
    board.save_research(deal_id, ResearchFields(key_objectives="Cut fuel cost 10%"))
    assert ticked(board, deal_id, "Research")["Objectives recorded"]
    board.undo()
    assert not ticked(board, deal_id, "Research")["Objectives recorded"]
    board.redo()
    assert ticked(board, deal_id, "Research")["Objectives recorded"]


def test_pipeline_files_tie_criteria_and_refuse_unknown_ties() -> None:
    spec = load_builtin("seven-step")
    research = next(s for s in spec.stages if s.name == "Research")
    assert dict(research.ties)["Buying process described"] == "research:buying_process"
    assert validate_pipeline(_as_data(to_toml(spec))) == spec  # written back the same
    stage = {"name": "Talk", "kind": "open", "probability": 10}
    closed = [{"name": "Won", "kind": "won"}, {"name": "Lost", "kind": "lost"}]
    for criterion, message in (
        ({"text": "x", "research": "mood"}, "use stakeholders, interests"),
        ({"text": "x", "objections": "gone"}, "use resolved"),
        ({"text": "x", "research": "pain_points", "objections": "resolved"}, "one thing"),
        ({"text": "x", "research": "pain_points", "bant": "need"}, "one thing"),
    ):
        with pytest.raises(InvalidInput, match=message):
            validate_pipeline(
                {"name": "p", "stages": [{**stage, "criteria": [criterion]}, *closed]}
            )


def _as_data(text: str) -> dict[str, object]:
    return tomllib.loads(text)


def test_a_json_export_carries_the_ties_and_a_restore_refuses_unknown_ones(
    cli: Cli,  # noqa: F811
    empty_db_url: URL,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    path = tmp_path / "board.json"
    assert cli("export", "-o", str(path))[0] == 0
    data = json.loads(path.read_text(encoding="utf-8"))
    ties = {row["text"]: row["tie"] for row in data["stage_criteria"] if row["tie"]}
    assert ties[RESOLVED] == "objections:resolved"
    empty = Cli(empty_db_url, capsys)
    assert empty("import", str(path))[0] == 0
    database = Database(empty_db_url)
    try:
        with database.read() as session:
            rows = session.execute(
                select(StageCriterion.text, StageCriterion.tie).where(
                    StageCriterion.tie.is_not(None)
                )
            ).all()
        assert dict(rows) == ties
    finally:
        database.dispose()

    bad = tmp_path / "bad.json"
    for row in data["stage_criteria"]:
        if row["tie"]:
            row["tie"] = "research:mood"
            break
    bad.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = Cli(empty_db_url, capsys)("import", str(bad))
    assert code != 0 and "tie" in err
