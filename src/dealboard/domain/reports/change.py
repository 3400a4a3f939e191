"""Did the change work? Before vs after a pipeline revision, in the stages it touched.

For each stage a revision touched (`dealboard.domain.revisions`; a
pipeline-wide change such as the SLA is measured at the first open stage),
deals are split by when they **first entered the stage**: before the
revision's instant, or after it. Four figures are compared, each with its
sample size and a verdict from `significance`:

- **Moved on**: entered the stage and left it forward (to a later open stage,
  or won) within the horizon (`HORIZON`, 30 days) of entering. Two-proportion z-test.
- **Time in stage**: from entering to leaving (on, back, won or lost), counted
  up to the horizon: a stay still going at 30 days counts as 30 days ("30d+").
  Median and p90; Mann–Whitney U. Imported stays are not measured and left
  out, as in the time-in-stage report.
- **Win rate**: of the deals that passed the stage (left it forward at any
  time), won out of closed (won + lost). Two-proportion z-test.
- **Cycle**: creation to won, for those of them that were won. Mann–Whitney U.

**Censoring** — a deal still in the stage has no outcome yet, and dropping it
would make the newest group look faster than it is. So moved-on and time in
stage judge every deal on the same footing: over the first 30 days after it
entered, which every counted deal has fully lived. A deal enters the *after*
group only once 30 days have passed since it entered (younger ones are
`waiting`), and the *before* group only if those 30 days were over before the
revision (deals that entered in the 30 days before it lived under both
processes and are left out as `straddling`). Win rate and cycle need the deal
closed: open deals are left out and counted (`still open`); an early *after*
group there holds the quick decisions first, so read it with that in mind.

No verdict with fewer than `MIN_PER_SIDE` deals on either side ("not enough
deals yet: 14 after (need 20)"); otherwise "better" or "worse" when p <
`ALPHA`, else "no clear difference". The report's window does not apply (the
revision splits time); an owner or tag does. One query per touched stage (the
stage's entries, each with its exit, via `LEAD` along the deals' moves);
the tests run in Python over those rows, because ranks need every value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from dealboard.db.models import Deal, StageTransition
from dealboard.domain.import_stays import began_at_import
from dealboard.domain.lookup import find_pipeline
from dealboard.domain.records import StageRecord
from dealboard.domain.reports.figures import Rate
from dealboard.domain.reports.scope import ReportScope, deal_conditions
from dealboard.domain.reports.significance import (
    ALPHA,
    MIN_PER_SIDE,
    mann_whitney_p,
    mann_whitney_u,
    p_text,
    two_proportion_p,
)
from dealboard.domain.reports.sql import MedianP90, median_p90, percentile_ranks
from dealboard.domain.revisions import RevisionRecord, find_revision, has_revisions
from dealboard.vocabulary import StageKind

#: How long after entering a stage a deal is followed: moved on within it, time capped at it.
HORIZON = timedelta(days=30)


class Call(StrEnum):
    """What a verdict says."""

    BETTER = "better"
    WORSE = "worse"
    UNCLEAR = "no clear difference"
    TOO_FEW = "not enough deals"


@dataclass(frozen=True)
class Verdict:
    """The call, its p-value (None when too few deals to test) and the sentence for people."""

    call: Call
    p: float | None
    text: str


@dataclass(frozen=True)
class RateChange:
    """A rate before and after, with its verdict."""

    measure: str
    before: Rate
    after: Rate
    verdict: Verdict


@dataclass(frozen=True)
class DurationChange:
    """Durations before and after (median, p90, n), with their verdict."""

    measure: str
    before: MedianP90
    after: MedianP90
    verdict: Verdict
    #: Durations were counted up to this (time in stage: the horizon); None: uncapped.
    cap: timedelta | None = None


@dataclass(frozen=True)
class StageChange:
    """One touched stage: what the revision changed there, and the four comparisons."""

    stage: str
    changes: tuple[str, ...]
    moved_on: RateChange
    time_in_stage: DurationChange
    win_rate: RateChange
    cycle: DurationChange
    #: Entered in the horizon before the revision: lived under both processes, left out.
    straddling: int
    #: Entered after the revision less than a horizon ago: not judged yet.
    waiting: int
    #: Passed the stage but still open: no win or loss yet.
    still_open_before: int
    still_open_after: int
    #: Deals whose stay here was imported, not measured: left out of time in stage.
    not_measured: int

    @property
    def comparisons(self) -> tuple[RateChange | DurationChange, ...]:
        """The four, in the order a report shows them."""
        return (self.moved_on, self.time_in_stage, self.win_rate, self.cycle)


@dataclass(frozen=True)
class ChangeReport:
    """Before vs after one revision of the pipeline."""

    scope: ReportScope
    #: None when the pipeline has no revision yet (nothing to compare).
    revision: RevisionRecord | None
    horizon: timedelta
    stages: tuple[StageChange, ...]
    #: Changes nothing can be measured for (a removed stage), as text.
    unmeasured: tuple[str, ...] = ()


def build_change(session: Session, scope: ReportScope, number: int | None = None) -> ChangeReport:
    """The comparison for revision `number` of the scope's pipeline (default: its latest).

    No revision yet and none asked for: a report with nothing to compare (`revision` None).
    """
    pipeline = find_pipeline(session, scope.pipeline.name)
    if number is None and not has_revisions(session, pipeline):
        return ChangeReport(scope, None, HORIZON, ())
    revision = find_revision(session, pipeline, number)
    by_id = {s.id: s for s in scope.pipeline.stages}
    open_stages = scope.open_stages
    touched: dict[int, list[str]] = {}
    unmeasured: list[str] = []
    for change in revision.changes:
        stage_id = change.stage_id
        if stage_id is None and change.stage is None and open_stages:
            stage_id = open_stages[0].id
        if stage_id is None or stage_id not in by_id or by_id[stage_id].kind is not StageKind.OPEN:
            unmeasured.append(change.text)
            continue
        touched.setdefault(stage_id, []).append(change.text)
    stages = tuple(
        _stage_change(session, scope, revision.at, by_id[stage_id], tuple(texts))
        for stage_id, texts in sorted(touched.items(), key=lambda item: by_id[item[0]].position)
    )
    return ChangeReport(scope, revision, HORIZON, stages, tuple(unmeasured))


@dataclass
class _Side:
    """What one side (before or after) of one stage adds up to, deal by deal."""

    moved_on: int = 0
    judged: int = 0
    stays: list[float] = field(default_factory=list)
    won: int = 0
    lost: int = 0
    still_open: int = 0
    cycles: list[float] = field(default_factory=list)


def _stage_change(
    session: Session,
    scope: ReportScope,
    at: datetime,
    stage: StageRecord,
    changes: tuple[str, ...],
) -> StageChange:
    forward = {s.id for s in scope.open_stages if s.position > stage.position}
    forward |= {s.id for s in scope.pipeline.stages if s.kind is StageKind.WON}
    kinds = {s.id: s.kind for s in scope.pipeline.stages}
    horizon = HORIZON.total_seconds()
    sides = {"before": _Side(), "after": _Side()}
    straddling = waiting = not_measured = 0
    seen: set[int] = set()
    for row in _entries(session, scope, stage.id):
        deal_id, entered, exit_at, exit_to, exit_imported = row[:5]
        created, closed, now_in, imported_at, stage_entered = row[5:]
        if deal_id in seen:
            continue
        seen.add(deal_id)
        if entered >= at:
            if (scope.now - entered).total_seconds() < horizon:
                waiting += 1
                continue
            side = sides["after"]
        elif (at - entered).total_seconds() < horizon:
            straddling += 1
            continue
        else:
            side = sides["before"]
        stay = (exit_at - entered).total_seconds() if exit_at is not None else None
        side.judged += 1
        if stay is not None and stay <= horizon and exit_to in forward:
            side.moved_on += 1
        if (exit_at is not None and exit_imported) or (
            exit_at is None and began_at_import(imported_at, stage_entered)
        ):
            not_measured += 1
        else:
            side.stays.append(min(max(stay, 0.0), horizon) if stay is not None else horizon)
        if exit_to not in forward:
            continue
        kind = kinds.get(now_in)
        if kind is StageKind.WON:
            side.won += 1
            if closed is not None:
                side.cycles.append(max((closed - created).total_seconds(), 0.0))
        elif kind is StageKind.LOST:
            side.lost += 1
        else:
            side.still_open += 1
    before, after = sides["before"], sides["after"]
    return StageChange(
        stage=stage.name,
        changes=changes,
        moved_on=_rates(
            "moved on", Rate(before.moved_on, before.judged), Rate(after.moved_on, after.judged)
        ),
        time_in_stage=_durations("in stage", before.stays, after.stays, HORIZON),
        win_rate=_rates(
            "won",
            Rate(before.won, before.won + before.lost),
            Rate(after.won, after.won + after.lost),
        ),
        cycle=_durations("cycle", before.cycles, after.cycles, None),
        straddling=straddling,
        waiting=waiting,
        still_open_before=before.still_open,
        still_open_after=after.still_open,
        not_measured=not_measured,
    )


#: `LEAD` keeps its column's type only when told (SQLite hands instants back as text).
_AT = StageTransition.__table__.c.at.type
_IMPORTED = StageTransition.__table__.c.imported.type


def _entries(session: Session, scope: ReportScope, stage_id: int) -> Sequence[Any]:
    """Each entry into the stage with the deal's next move out of it, oldest first per deal."""
    order = (StageTransition.at, StageTransition.id)
    following = {"partition_by": StageTransition.deal_id, "order_by": order}
    touching = (
        select(
            StageTransition.deal_id,
            StageTransition.at,
            StageTransition.to_stage_id,
            StageTransition.id,
            func.lead(StageTransition.at, type_=_AT).over(**following).label("exit_at"),
            func.lead(StageTransition.to_stage_id).over(**following).label("exit_to"),
            func.lead(StageTransition.imported, type_=_IMPORTED)
            .over(**following)
            .label("exit_imported"),
        )
        .where(
            or_(
                StageTransition.to_stage_id == stage_id,
                StageTransition.from_stage_id == stage_id,
            ),
            StageTransition.deal_id.in_(select(Deal.id).where(*deal_conditions(scope))),
        )
        .subquery("touching")
    )
    return session.execute(
        select(
            touching.c.deal_id,
            touching.c.at,
            touching.c.exit_at,
            touching.c.exit_to,
            touching.c.exit_imported,
            Deal.created_at,
            Deal.closed_at,
            Deal.stage_id,
            Deal.imported_at,
            Deal.stage_entered_at,
        )
        .join(Deal, Deal.id == touching.c.deal_id)
        .where(touching.c.to_stage_id == stage_id)
        .order_by(touching.c.deal_id, touching.c.at, touching.c.id)
    ).all()


def _rates(measure: str, before: Rate, after: Rate) -> RateChange:
    too_few = _too_few(before.n, after.n)
    if too_few is not None:
        return RateChange(measure, before, after, too_few)
    p = two_proportion_p(before.hits, before.n, after.hits, after.n)
    figures = f"{_percent(before)} → {_percent(after)} {measure}"
    assert before.fraction is not None and after.fraction is not None
    up = after.fraction > before.fraction
    return RateChange(measure, before, after, _verdict(p, up, figures, before.n, after.n))


def _durations(
    measure: str, before: list[float], after: list[float], cap: timedelta | None
) -> DurationChange:
    low, high = _spread(before), _spread(after)
    too_few = _too_few(len(before), len(after))
    if too_few is not None:
        return DurationChange(measure, low, high, too_few, cap)
    p = mann_whitney_p(before, after)
    shorter = mann_whitney_u(before, after) > len(before) * len(after) / 2
    figures = f"median {days_text(low.median, cap)} → {days_text(high.median, cap)} {measure}"
    verdict = _verdict(p, shorter, figures, len(before), len(after))
    return DurationChange(measure, low, high, verdict, cap)


def _spread(values: list[float]) -> MedianP90:
    ordered = sorted(values)
    ranks = percentile_ranks(len(ordered))
    return median_p90(len(ordered), {rank: ordered[rank - 1] for rank in ranks if ordered})


def _too_few(before: int, after: int) -> Verdict | None:
    short = [
        f"{n} {side}" for n, side in ((before, "before"), (after, "after")) if n < MIN_PER_SIDE
    ]
    if not short:
        return None
    need = f"need {MIN_PER_SIDE}" + (" each" if len(short) == 2 else "")
    return Verdict(Call.TOO_FEW, None, f"not enough deals yet: {', '.join(short)} ({need})")


def _verdict(p: float, improved: bool, figures: str, before: int, after: int) -> Verdict:
    counts = f"{p_text(p)}, {before} before, {after} after"
    if p >= ALPHA:
        return Verdict(Call.UNCLEAR, p, f"no clear difference: {figures} ({counts})")
    call = Call.BETTER if improved else Call.WORSE
    return Verdict(call, p, f"{call}: {figures} ({counts})")


def _percent(rate: Rate) -> str:
    return "—" if rate.percent is None else f"{round(rate.percent)}%"


def days_text(value: timedelta | None, cap: timedelta | None = None) -> str:
    """`7.5d`, `5h`, `30d+` (at the cap); `—` when unknown."""
    if value is None:
        return "—"
    plus = "+" if cap is not None and value >= cap else ""
    seconds = value.total_seconds()
    if seconds < 86_400:
        return f"{seconds / 3600:.0f}h{plus}"
    whole = seconds / 86_400
    text = f"{whole:.1f}".removesuffix(".0")
    return f"{text}d{plus}"
