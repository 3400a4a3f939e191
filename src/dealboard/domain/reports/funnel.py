"""The funnel: how far deals got, from the stage history rather than where they sit now.

- **Deals**: created in the window (the pipeline's, the owner's, the tag's).
- **Reached** a stage: the deal entered that stage or any later open stage at
  some time (its transitions), or was won, which counts as having reached every
  open stage. A deal created straight into Pitch, or one that jumped ahead with
  a manager's override, has reached every stage before it; a deal later moved
  back or lost keeps the furthest stage it entered. A reopened deal counts once.
- **Imported losses from an unknown stage** reached no stage anyone saw: the
  file did not say where they were lost, so the import recorded them as created
  lost. They count among the deals (and the lost) but in no step;
  `not_measured` says how many were left out.
- **To next** (`to_next`): reached the next step ÷ reached this one (the last
  open stage's next step is Won). **From first** (`from_first`): reached this
  step ÷ reached the first stage.

Two aggregate queries: the furthest stage per deal (read along the deals'
transitions in index order), counted per stage (with the imported deals among
those that reached none); and the deals by the kind of stage they are in now.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import case, func, select, true
from sqlalchemy.orm import Session

from dealboard.db.models import Deal, StageTransition
from dealboard.domain.reports.figures import Rate
from dealboard.domain.reports.scope import ReportScope, deal_conditions, in_window, stage_kinds
from dealboard.domain.reports.stages import not_measured_note
from dealboard.vocabulary import StageKind

#: How far a won deal got: past every open stage, whatever the positions.
_WON_REACH = 1_000_000


@dataclass(frozen=True)
class FunnelStep:
    """One open stage, or Won as the last step."""

    stage: str
    kind: StageKind
    #: Deals that reached this step or a later one.
    reached: int
    #: Reached the next step out of reached this one; None on the last step.
    to_next: Rate | None
    #: Reached this step out of reached the first.
    from_first: Rate


@dataclass(frozen=True)
class FunnelReport:
    """Stage-to-stage conversion of the deals created in the window."""

    scope: ReportScope
    #: Deals created in the window, and how many of them are open, won or lost now.
    deals: int
    open: int
    won: int
    lost: int
    steps: tuple[FunnelStep, ...]
    #: Imported deals whose stage history the file did not give, left out of every step.
    not_measured: int = 0

    @property
    def imported_note(self) -> str | None:
        """The one line that says imported deals were left out of the steps; None if none."""
        return not_measured_note(self.not_measured, "stage history")


def build_funnel(session: Session, scope: ReportScope) -> FunnelReport:
    """Count the furthest stage each deal reached, then add up from the end."""
    conditions = [*deal_conditions(scope), *in_window(Deal.created_at, scope)]
    stages = [(s.name, s.kind, s.position) for s in scope.open_stages]
    won = next((s for s in scope.pipeline.stages if s.kind is StageKind.WON), None)
    if won is not None:
        stages.append((won.name, won.kind, _WON_REACH))
    reach_of = {s.id: s.position for s in scope.open_stages}
    if won is not None:
        reach_of[won.id] = _WON_REACH
    reach = func.max(case(reach_of, value=StageTransition.to_stage_id, else_=None))
    # An imported deal lost from a stage its file did not say has one row, into Lost.
    imported = func.max(case((StageTransition.imported == true(), 1), else_=0))
    furthest = (
        select(StageTransition.deal_id, reach.label("reach"), imported.label("imported"))
        .where(StageTransition.deal_id.in_(select(Deal.id).where(*conditions)))
        .group_by(StageTransition.deal_id)
        .subquery()
    )
    counts: dict[int, int] = {}
    not_measured = 0
    for position, count, from_import in session.execute(
        select(furthest.c.reach, func.count(), func.sum(furthest.c.imported)).group_by(
            furthest.c.reach
        )
    ):
        if position is not None:
            counts[position] = count
        else:
            not_measured = int(from_import or 0)
    by_stage = session.execute(
        select(Deal.stage_id, func.count(Deal.id)).where(*conditions).group_by(Deal.stage_id)
    ).all()
    kinds: Counter[StageKind] = Counter()
    for stage_id, count in by_stage:
        kinds[stage_kinds(scope).get(stage_id, StageKind.OPEN)] += count
    reached = [sum(c for p, c in counts.items() if p >= position) for _, _, position in stages]
    first = reached[0] if reached else 0
    steps = tuple(
        FunnelStep(
            stage=name,
            kind=kind,
            reached=reached[i],
            to_next=Rate(reached[i + 1], reached[i]) if i + 1 < len(stages) else None,
            from_first=Rate(reached[i], first),
        )
        for i, (name, kind, _) in enumerate(stages)
    )
    return FunnelReport(
        scope=scope,
        deals=sum(kinds.values()),
        open=kinds.get(StageKind.OPEN, 0),
        won=kinds.get(StageKind.WON, 0),
        lost=kinds.get(StageKind.LOST, 0),
        steps=steps,
        not_measured=not_measured,
    )
