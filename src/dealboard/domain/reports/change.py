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
revision splits time); an owner or tag does. Two grouped queries per
touched stage (`change_sql`): durations come back counted by the hour, so the
tests run on a few hundred numbers whatever the number of deals.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.orm import Session

from dealboard.domain.lookup import find_pipeline
from dealboard.domain.records import StageRecord
from dealboard.domain.reports.change_sql import StageQuestion, count_stage
from dealboard.domain.reports.figures import Rate
from dealboard.domain.reports.scope import ReportScope
from dealboard.domain.reports.significance import (
    ALPHA,
    MIN_PER_SIDE,
    mann_whitney_counts,
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


def _stage_change(
    session: Session,
    scope: ReportScope,
    at: datetime,
    stage: StageRecord,
    changes: tuple[str, ...],
) -> StageChange:
    forward = {s.id for s in scope.open_stages if s.position > stage.position}
    won = {s.id for s in scope.pipeline.stages if s.kind is StageKind.WON}
    lost = {s.id for s in scope.pipeline.stages if s.kind is StageKind.LOST}
    asked = StageQuestion(
        stage.id,
        at,
        int(HORIZON.total_seconds()),
        frozenset(forward | won),
        frozenset(won),
        frozenset(lost),
    )
    counts = count_stage(session, scope, asked)
    before, after = counts.before, counts.after
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
        straddling=counts.straddling,
        waiting=counts.waiting,
        still_open_before=before.still_open,
        still_open_after=after.still_open,
        not_measured=counts.not_measured,
    )


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
    measure: str, before: Counter[float], after: Counter[float], cap: timedelta | None
) -> DurationChange:
    """Durations given in hours, as {hours: deals}."""
    low, high = _spread(before), _spread(after)
    too_few = _too_few(low.n, high.n)
    if too_few is not None:
        return DurationChange(measure, low, high, too_few, cap)
    u, p = mann_whitney_counts(before, after)
    shorter = u > low.n * high.n / 2
    figures = f"median {days_text(low.median, cap)} → {days_text(high.median, cap)} {measure}"
    verdict = _verdict(p, shorter, figures, low.n, high.n)
    return DurationChange(measure, low, high, verdict, cap)


def _spread(hours: Counter[float]) -> MedianP90:
    """Median and p90 of durations counted by the hour."""
    n = sum(hours.values())
    wanted = set(percentile_ranks(n)) if n else set()
    at_rank: dict[int, float] = {}
    seen = 0
    for value in sorted(hours):
        first, seen = seen + 1, seen + hours[value]
        for rank in [r for r in wanted if first <= r <= seen]:
            at_rank[rank] = value * 3600
            wanted.discard(rank)
    return median_p90(n, at_rank)


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
