"""What a stand-up says about how a deal moved: past the gate by a manager's override, or
over stages it never entered.

Both are already on record: a transition keeps its `override_reason`, and which stages a
forward move jumped is the gate's own rule (`gate.check_move`) applied to the stages as they
stand. The stages of the pipelines in scope are read in one query for the whole stand-up,
never one per deal.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealboard.db.models import Stage
from dealboard.domain.gate import GateStage, check_move
from dealboard.domain.text import display_safe
from dealboard.vocabulary import StageKind

#: The mark of a move made by a gate override: a sign and words, so no colour is needed.
OVERRIDE = "⚠ override"


@dataclass(frozen=True)
class StageMap:
    """Every stage of the pipelines in scope, by id, with its pipeline's stages in order."""

    stages: dict[int, GateStage]
    pipelines: dict[int, tuple[GateStage, ...]]
    pipeline_of: dict[int, int]

    def skipped(self, from_stage_id: int | None, to_stage_id: int) -> tuple[GateStage, ...]:
        """The open stages a move from one stage to another jumped over (the gate's rule)."""
        current, target = self.stages.get(from_stage_id or -1), self.stages.get(to_stage_id)
        if current is None or target is None:
            return ()
        siblings = self.pipelines[self.pipeline_of[to_stage_id]]
        return check_move(siblings, current, target).skipped


def stage_map(session: Session, pipeline_id: int | None) -> StageMap:
    """The stages of one pipeline (or all), in one query; criteria are not needed to see a skip."""
    query = select(Stage.id, Stage.pipeline_id, Stage.name, Stage.position, Stage.kind).order_by(
        Stage.pipeline_id, Stage.position
    )
    if pipeline_id is not None:
        query = query.where(Stage.pipeline_id == pipeline_id)
    stages: dict[int, GateStage] = {}
    pipelines: dict[int, list[GateStage]] = {}
    pipeline_of: dict[int, int] = {}
    for stage_id, pipeline, name, position, kind in session.execute(query):
        stage = GateStage(stage_id, name, position, StageKind(kind), ())
        stages[stage_id] = stage
        pipelines.setdefault(pipeline, []).append(stage)
        pipeline_of[stage_id] = pipeline
    return StageMap(stages, {p: tuple(s) for p, s in pipelines.items()}, pipeline_of)


def clean_reason(reason: str | None) -> str:
    """An override reason as one plain line: it is user text, maybe written by another tool."""
    return " ".join(display_safe(reason or "").split())


def in_pipeline_order(skips: Iterable[GateStage]) -> tuple[str, ...]:
    """Skipped stages named once each, first stage first."""
    seen = {stage.id: stage for stage in skips}
    return tuple(s.name for s in sorted(seen.values(), key=lambda s: s.position))


def skipped_note(names: Iterable[str], user: Callable[[str], str] = str) -> str:
    """`(skipped Research, Pitch)`, or empty when no stage was skipped."""
    shown = [user(name) for name in names]
    return f"(skipped {', '.join(shown)})" if shown else ""


def override_note(reasons: Iterable[str], user: Callable[[str], str] = str) -> str:
    """`⚠ override: "the buyer asked to sign now"` (each reason quoted), or empty."""
    shown = [f'"{user(reason)}"' if reason else '""' for reason in reasons]
    return f"{OVERRIDE}: {'; '.join(shown)}" if shown else ""
