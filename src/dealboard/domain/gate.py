"""The gate: a deal earns the right to move on only when the work of each stage it leaves is done,
and enters a stage only while the stage has room under a hard WIP limit.

Pure functions over plain data, so the rule is easy to read and to test, and
the CLI, the board and the drag-and-drop all ask the same question.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from dealboard.domain.stage_limits import WipLimit
from dealboard.vocabulary import StageKind


@dataclass(frozen=True)
class GateCriterion:
    """An exit criterion and whether this deal has ticked it."""

    id: int
    text: str
    checked: bool
    #: What the criterion ticks itself from (`ties.follows`); "" when only a hand ticks it.
    follows: str = ""


@dataclass(frozen=True)
class GateStage:
    """A stage as the gate sees it."""

    id: int
    name: str
    position: int
    kind: StageKind
    criteria: tuple[GateCriterion, ...]

    @property
    def open_criteria(self) -> tuple[GateCriterion, ...]:
        return tuple(c for c in self.criteria if not c.checked)


@dataclass(frozen=True)
class StageLoad:
    """How many open deals a WIP-limited stage holds, against its limit."""

    stage: str
    count: int
    limit: WipLimit

    @property
    def full(self) -> bool:
        """At or over the limit: a soft limit warns, a hard one refuses the next deal."""
        return self.count >= self.limit.max

    @property
    def over(self) -> bool:
        return self.count > self.limit.max

    @property
    def text(self) -> str:
        """`12/15`, as a column header shows it."""
        return f"{self.count}/{self.limit.max}"

    @property
    def reason(self) -> str:
        """Why a move into the stage is refused, in one line."""
        return f"{self.stage} is full: {self.text} deals (hard WIP limit)"


@dataclass(frozen=True)
class GateCheck:
    """The answer to "may this deal move from here to there?"."""

    allowed: bool
    forward: bool
    #: The stages whose exit criteria must be complete for this move, in order.
    leaving: tuple[GateStage, ...]
    #: Open stages jumped over without ever being the deal's stage.
    skipped: tuple[GateStage, ...]
    #: The target stage when a hard WIP limit keeps the deal out (None: there is room).
    full: StageLoad | None = None

    @property
    def blocking(self) -> tuple[GateStage, ...]:
        """Stages with at least one unticked criterion."""
        return tuple(s for s in self.leaving if s.open_criteria)

    def unmet(self) -> list[str]:
        """Human lines naming each unticked criterion with its stage."""
        return [f"{s.name}: {c.text}" for s in self.blocking for c in s.open_criteria]


def check_move(
    stages: Sequence[GateStage],
    current: GateStage,
    target: GateStage,
    load: StageLoad | None = None,
) -> GateCheck:
    """Forward moves need every open stage from `current` up to (not including) `target` done.

    Backward moves pass the checklist. A move to the won stage needs every open
    stage of the pipeline done; the lost stage is the caller's business (it
    needs a reason, not a checklist). Any move into another open stage, forward,
    back or a reopening, is refused while `load` (the target's open deals under a
    hard WIP limit) is full.
    """
    check = _check_criteria(stages, current, target)
    if target.kind is StageKind.OPEN and target.id != current.id and wip_refuses(load):
        return GateCheck(False, check.forward, check.leaving, check.skipped, load)
    return check


def wip_refuses(load: StageLoad | None) -> bool:
    """Whether a hard WIP limit keeps one more deal out of the stage."""
    return load is not None and load.limit.hard and load.full


def _check_criteria(
    stages: Sequence[GateStage], current: GateStage, target: GateStage
) -> GateCheck:
    open_stages = [s for s in stages if s.kind is StageKind.OPEN]
    if target.kind is StageKind.WON:
        leaving = tuple(open_stages)
        skipped = tuple(s for s in open_stages if s.position > current.position)
        return GateCheck(not _any_open(leaving), True, leaving, skipped)
    if target.kind is StageKind.LOST or current.kind is not StageKind.OPEN:
        return GateCheck(True, False, (), ())
    if target.position <= current.position:
        return GateCheck(True, False, (), ())
    leaving = tuple(s for s in open_stages if current.position <= s.position < target.position)
    skipped = tuple(s for s in leaving if s.position > current.position)
    return GateCheck(not _any_open(leaving), True, leaving, skipped)


def _any_open(stages: Collection[GateStage]) -> bool:
    return any(s.open_criteria for s in stages)
