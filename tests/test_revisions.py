"""Importing a changed pipeline file records a revision: what changed in the process, who, when."""

from __future__ import annotations

import json

import pytest

from clock import FixedClock
from dealboard.domain.board import Board
from dealboard.domain.errors import NotFound
from dealboard.domain.pipeline_spec import parse_pipeline_toml, to_toml
from dealboard.domain.revisions import RevisionChange
from test_cli import Cli, cli  # noqa: F401


def edited(board: Board, *replacements: tuple[str, str]) -> None:
    """Export the pipeline, edit its text, import it back (as the team would)."""
    text = to_toml(board.export_pipeline("seven-step"))
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    board.import_pipeline(parse_pipeline_toml(text))


def test_the_first_import_and_an_identical_one_record_no_revision(board: Board) -> None:
    assert board.revisions() == []
    board.import_pipeline(board.export_pipeline("seven-step"))
    assert board.revisions() == []


def test_wording_alone_is_not_a_process_change(board: Board) -> None:
    edited(board, ('title = "Seven-step sales process"', 'title = "Our seven steps"'))
    assert board.pipeline().title == "Our seven steps"
    assert board.revisions() == []


def test_a_changed_file_records_criteria_cadence_probability_and_sla(
    board: Board, clock: FixedClock
) -> None:
    clock.advance(days=3)
    edited(
        board,
        ('"Source recorded"', '"Lead source recorded"'),
        ("probability = 10\n", "probability = 15\n"),
        ("cadence = { attempts = 5, days = 14 }", "cadence = { attempts = 3, days = 7 }"),
        ("speed_to_lead_minutes = 5", "speed_to_lead_minutes = 15"),
    )
    [revision] = board.revisions()
    assert (revision.pipeline, revision.number, revision.user) == ("seven-step", 1, "maria")
    assert revision.at == clock.now
    stages = {s.name: s.id for s in board.pipeline().stages}
    assert set(revision.changes) == {
        RevisionChange(None, None, "speed to lead", 5, 15),
        RevisionChange(stages["Prospect"], "Prospect", "cadence",
                       "5 attempts in 14 days", "3 attempts in 7 days"),
        RevisionChange(stages["Prospect"], "Prospect", "criterion added", None,
                       "Lead source recorded"),
        RevisionChange(stages["Prospect"], "Prospect", "criterion removed", "Source recorded",
                       None),
        RevisionChange(stages["Qualify"], "Qualify", "probability", 10, 15),
    }  # fmt: skip
    assert revision.stage_ids == (stages["Prospect"], stages["Qualify"])
    texts = {c.text for c in revision.changes}
    assert "Prospect: criterion added: Lead source recorded" in texts
    assert "Qualify: probability 10 → 15" in texts


def test_revisions_number_up_per_pipeline_and_name_who_imported(
    board: Board, clock: FixedClock
) -> None:
    edited(board, ("probability = 10\n", "probability = 15\n"))
    board.add_user("olga", "Olga Ops", "manager")
    clock.advance(hours=2)
    other = Board(board.database, "olga", clock)
    text = to_toml(other.export_pipeline("seven-step")).replace("rot_days = 14", "rot_days = 9", 1)
    text = text.replace('kind = "open"', 'kind = "open"\nwip = 12', 1)
    other.import_pipeline(parse_pipeline_toml(text))
    first, second = board.revisions()
    assert (first.number, second.number) == (1, 2)
    assert (second.user, second.user_display, second.at) == ("olga", "Olga Ops", clock.now)
    assert {(c.what, c.before, c.after) for c in second.changes} == {
        ("quiet after days", 14, 9),
        ("WIP limit", None, "12"),
    }
    board.add_template("milestones")
    assert board.revisions("milestones") == []


def test_the_revisions_command_lists_them_and_prints_json(
    cli: Cli,  # noqa: F811
    board: Board,
) -> None:
    code, out, err = cli("pipeline", "revisions")
    assert (code, err) == (0, "")
    assert "no revisions yet" in out
    edited(board, ('"Need stated"', '"Need stated in their words"'))
    code, out, _ = cli("pipeline", "revisions")
    assert code == 0
    assert "#1" in out and "maria" in out
    assert "Qualify: criterion added: Need stated in their words" in out
    code, out, _ = cli("pipeline", "revisions", "--format", "json")
    [revision] = json.loads(out)
    assert revision["number"] == 1 and revision["user"] == "maria"
    whats = {(c["stage"], c["what"]) for c in revision["changes"]}
    assert whats == {("Qualify", "criterion added"), ("Qualify", "criterion removed")}


def test_asking_for_a_revision_that_does_not_exist_names_what_there_is(board: Board) -> None:
    assert board.change_report().revision is None  # nothing to compare yet, said plainly
    with pytest.raises(NotFound, match="has none yet"):
        board.change_report(revision=1)
    edited(board, ("probability = 10\n", "probability = 15\n"))
    with pytest.raises(NotFound, match="has 1 to 1"):
        board.change_report(revision=4)
