"""The gate as pure rules: forward needs the work done, no skipping, backward is free."""

from __future__ import annotations

from dealboard.domain.gate import GateCriterion, GateStage, check_move
from dealboard.vocabulary import StageKind


def stage(position: int, name: str, *ticks: bool, kind: StageKind = StageKind.OPEN) -> GateStage:
    criteria = tuple(
        GateCriterion(position * 10 + i, f"{name} task {i}", t) for i, t in enumerate(ticks, 1)
    )
    return GateStage(position, name, position, kind, criteria)


def pipeline(*stages: GateStage) -> list[GateStage]:
    return [*stages, stage(90, "Won", kind=StageKind.WON), stage(91, "Lost", kind=StageKind.LOST)]


def test_forward_one_stage_needs_the_current_checklist_done() -> None:
    prospect, qualify = stage(1, "Prospect", True, False), stage(2, "Qualify", False)
    check = check_move(pipeline(prospect, qualify), prospect, qualify)
    assert not check.allowed
    assert check.unmet() == ["Prospect: Prospect task 2"]


def test_forward_allowed_when_all_ticked() -> None:
    prospect, qualify = stage(1, "Prospect", True, True), stage(2, "Qualify", False)
    assert check_move(pipeline(prospect, qualify), prospect, qualify).allowed


def test_skipping_needs_the_skipped_stages_done_too() -> None:
    stages = pipeline(stage(1, "Prospect", True), stage(2, "Qualify", False), stage(3, "Research"))
    check = check_move(stages, stages[0], stages[2])
    assert not check.allowed
    assert [s.name for s in check.skipped] == ["Qualify"]
    assert check.unmet() == ["Qualify: Qualify task 1"]


def test_backward_is_always_allowed() -> None:
    stages = pipeline(stage(1, "Prospect", False), stage(2, "Qualify", False))
    check = check_move(stages, stages[1], stages[0])
    assert check.allowed
    assert not check.forward


def test_won_needs_every_open_stage() -> None:
    stages = pipeline(
        stage(1, "Prospect", True), stage(2, "Qualify", True), stage(3, "Close", False)
    )
    won = stages[3]
    check = check_move(stages, stages[2], won)
    assert not check.allowed
    assert check.unmet() == ["Close: Close task 1"]
    done = pipeline(stage(1, "Prospect", True), stage(2, "Qualify", True))
    assert check_move(done, done[0], done[2]).allowed
