"""Pipelines as files: the shipped templates are valid, errors name the key, imports keep work."""

from __future__ import annotations

import re

import pytest

from dealboard.domain.board import Board
from dealboard.domain.deals import DealFields
from dealboard.domain.errors import InvalidInput, RuleViolation
from dealboard.domain.pipeline_spec import (
    Cadence,
    builtin_template_names,
    load_builtin,
    load_file,
    parse_pipeline_toml,
    to_toml,
)
from dealboard.vocabulary import BantItem, StageKind, TemplateKind
from helpers import tick_all

MINIMAL = """
name = "tiny"
title = "Tiny"
[[stages]]
name = "Talk"
kind = "open"
probability = 50
criteria = ["Talked"]
[[stages]]
name = "Won"
kind = "won"
[[stages]]
name = "Lost"
kind = "lost"
"""


def test_four_templates_ship_and_each_is_valid() -> None:
    assert builtin_template_names() == ["milestones", "seven-step", "social", "traditional"]
    for name in builtin_template_names():
        spec = load_builtin(name)
        kinds = [s.kind for s in spec.stages]
        assert kinds.count(StageKind.WON) == 1
        assert kinds.count(StageKind.LOST) == 1
        assert all(s.criteria for s in spec.stages if s.kind is StageKind.OPEN), name
        assert parse_pipeline_toml(to_toml(spec)) == spec


def test_the_seven_step_pipeline_matches_the_product_brief() -> None:
    spec = load_builtin("seven-step")
    assert [s.name for s in spec.stages] == [
        "Prospect", "Qualify", "Research", "Pitch", "Overcome Objections", "Close",
        "Follow-up", "Won", "Lost"]  # fmt: skip
    qualify = spec.stages[1]
    assert [c.lower() for c in qualify.criteria] == [
        "budget confirmed", "decision maker identified", "need stated", "timing known"]  # fmt: skip


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (
            MINIMAL.replace("probability = 50", 'probability = "high"'),
            "stages[1].probability: 'high' is not accepted; must be a whole number",
        ),
        (MINIMAL.replace('kind = "open"', 'kind = "maybe"'), "stages[1].kind: 'maybe'"),
        (
            MINIMAL.replace('criteria = ["Talked"]', 'criterias = ["Talked"]'),
            "stages[1].criterias: 'criterias' is not accepted; unknown key",
        ),
        (MINIMAL.replace('name = "tiny"', 'name = "Tiny Pipe"'), "name: 'Tiny Pipe'"),
        (MINIMAL.replace('kind = "won"', 'kind = "lost"'), "stages: "),
        (
            MINIMAL + '[[stages]]\nname = "Late"\nkind = "open"\nprobability = 9\n',
            "closed stages come last",
        ),
        (MINIMAL.replace("probability = 50\n", ""), "stages[1].probability: 'missing'"),
        (MINIMAL.replace("[[stages]]", "[stages", 1), "is not valid TOML"),
        (MINIMAL.replace('["Talked"]', '["Talked", "Talked"]'), "criteria[2]"),
    ],
)
def test_a_broken_file_names_the_key_and_the_problem(broken: str, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_pipeline_toml(broken)
    assert message in str(refused.value)


def test_adding_a_template_gives_the_board_a_second_pipeline(board: Board) -> None:
    assert board.add_template("milestones")
    assert not board.add_template("milestones")
    assert [p.name for p in board.pipelines()] == ["seven-step", "milestones"]
    deal_id = board.add_deal(DealFields(title="Upsell"), pipeline="milestones")
    assert board.deal(deal_id).summary.pipeline == "milestones"


def test_importing_an_edit_keeps_deals_and_their_ticks(board: Board) -> None:
    deal_id = board.add_deal(DealFields(title="Pilot"))
    tick_all(board, deal_id, "Prospect")
    spec = parse_pipeline_toml(
        to_toml(board.export_pipeline("seven-step"))
        .replace('"Source recorded"', '"Lead source recorded"')
        .replace("probability = 5\n", "probability = 7\n")
    )
    assert board.import_pipeline(spec) is False
    deal = board.deal(deal_id)
    prospect = [i for i in deal.checklist if i.stage == "Prospect"]
    assert [(i.text, i.checked) for i in prospect] == [
        ("Fits the target customer profile", True),
        ("A contact person is known", True),
        ("Lead source recorded", False),
    ]
    assert board.pipeline().stages[0].probability == 7


def test_a_stage_holding_deals_cannot_be_dropped(board: Board) -> None:
    board.add_deal(DealFields(title="Pilot"))
    text = to_toml(board.export_pipeline(None))
    start = text.index("[[stages]]")
    end = text.index("[[stages]]", start + 1)
    with pytest.raises(RuleViolation, match="stage Prospect holds 1 deals"):
        board.import_pipeline(parse_pipeline_toml(text[:start] + text[end:]))
    assert board.pipeline().stages[0].name == "Prospect"


def test_only_a_manager_changes_an_existing_pipeline(rep_board: Board) -> None:
    spec = rep_board.export_pipeline(None)
    with pytest.raises(RuleViolation, match="only a manager may add or change a pipeline"):
        rep_board.import_pipeline(spec)
    with pytest.raises(RuleViolation, match="only a manager may add or change a pipeline"):
        rep_board.import_pipeline(parse_pipeline_toml(MINIMAL))
    assert [p.name for p in rep_board.pipelines()] == [spec.name]


DISCIPLINED = """
name = "disciplined"
title = "With SLAs"

[sla]
speed_to_lead_minutes = 30
follow_up_attempts = 6
follow_up_days = 10

[[stages]]
name = "Prospect"
kind = "open"
probability = 5
cadence = { attempts = 5, days = 14 }
criteria = [{ text = "Budget confirmed", bant = "budget" }, "Contact known"]

[[stages.templates]]
name = "First call"
kind = "script"
body = "Hi {contact}, {owner} from us about {deal}."

[[stages.templates]]
name = "Intro"
kind = "email"
file = "intro.md"

[[stages]]
name = "Won"
kind = "won"

[[stages]]
name = "Lost"
kind = "lost"
"""


def test_sla_cadence_bant_and_templates_round_trip_through_the_file_and_the_board(
    board: Board, tmp_path
) -> None:
    (tmp_path / "intro.md").write_text("Subject: About {account}\n\nDear {contact},\n", "utf-8")
    source = tmp_path / "disciplined.toml"
    source.write_text(DISCIPLINED, "utf-8")
    spec = load_file(source)
    assert spec.sla.speed_to_lead_minutes == 30 and spec.sla.follow_up == Cadence(6, 10)
    prospect = spec.stages[0]
    assert prospect.cadence == Cadence(5, 14)
    assert prospect.bant == (("Budget confirmed", BantItem.BUDGET),)
    assert [(t.name, t.kind, t.subject) for t in prospect.templates] == [
        ("First call", TemplateKind.SCRIPT, ""),
        ("Intro", TemplateKind.EMAIL, "About {account}"),
    ]
    assert prospect.templates[1].body == "Dear {contact},"
    assert parse_pipeline_toml(to_toml(spec)) == spec
    board.import_pipeline(spec)
    assert board.export_pipeline("disciplined") == spec
    changed = parse_pipeline_toml(
        to_toml(spec).replace("attempts = 5", "attempts = 3").replace('"First call"', '"Opener"')
    )
    board.import_pipeline(changed)
    assert board.export_pipeline("disciplined") == changed


@pytest.mark.parametrize(
    ("snippet", "message"),
    [
        ("cadence = { attempts = 0, days = 14 }", "stages[1].cadence.attempts: 0"),
        ('criteria = [{ text = "x", bant = "money" }]', "stages[1].criteria[1].bant: 'money'"),
        ('[[stages.templates]]\nname = "x"', "stages[1].templates[1].body"),
        ('[[stages.templates]]\nname = "x"\nfile = "../etc"', "own folder"),
    ],
)
def test_bad_discipline_keys_are_named(snippet: str, message: str) -> None:
    broken = MINIMAL.replace('criteria = ["Talked"]', snippet)
    with pytest.raises(InvalidInput, match=re.escape(message)):
        parse_pipeline_toml(broken)
